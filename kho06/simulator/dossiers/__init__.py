"""The administrative-procedure (TTHC) dossiers feed: the procedure catalogue and one JSON Lines file per day.

Layout under `OUT/dossiers/` (contract: docs/contracts/dossiers.md):

* `catalogue/thu_tuc_hanh_chinh.csv` – the province's 1,899 procedures (UTF-8 with BOM), whole at every scale;
* `catalogue/don_vi_xu_ly.csv` – the agencies that handle dossiers, with the district and commune they serve;
* `daily/<YYYY>/<YYYY-MM-DD>.jsonl` – one national-portal sync call (`DongBoHoSoMC`) per line, one dossier per
  call, filed under the day the dossier was received; every line carries the dossier's state at `cfg.end`.

How it is built, one module a step:

1. `catalogue` (from `procedures`: the fields and essential services in `data/`), `agencies`, `applicants`
   (registers of people and businesses) and `volume` (dossiers per day: growth, weekday and seasonal pattern,
   the public holidays of `workdays`) are fixed first;
2. `facts` draws every dossier's facts at once as numpy columns (`Facts`): day, time, procedure, agency,
   channel, then `outcomes` (status, dates, delivery, fees) and `calibration` (ratings and digitisation, the
   yearly figures made exact by allocation);
3. `defects` plans the defects over those facts from the `defects` streams and logs them in the truth file;
4. `writer`, month by month: `lines` splices each dossier's line from JSON `pieces` encoded once (procedure,
   applicant, officer, progress step, fee, flags; dates from `stamps`) with the month's own random choices;
   `defect_edits` re-encodes the dossiers touched by a defect from their changed fields; a writer thread
   writes one file per day while the next month is built.
"""

from kho06.simulator.dossiers.writer import simulate

__all__ = ["simulate"]
