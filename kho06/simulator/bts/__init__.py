"""The BTS feed: an OpenCelliD-style cell dump of the province and the regulator's site register.

Files under `OUT/bts/` (contract: docs/contracts/bts.md):

* `cells/cell_towers_452.csv`: OpenCelliD rows without a header (GSM, UMTS and LTE cells of MCC 452);
* `sites/so_dang_ky_vi_tri_tram.csv`: the site register (sổ đăng ký vị trí trạm), UTF-8 with BOM.

The clean feed holds exactly 3,240 live stations at 1,582 sites as of `cfg.end` (see `layout.TOTAL_STATIONS`,
`layout.TOTAL_SITES`). A station is one operator's base station of one radio technology at a site; its id is
derived from the cell id (GSM BTS, UMTS NodeB, LTE eNodeB). `sites` places the sites inside the communes'
bounding boxes at least `MIN_SITE_GAP_M` apart; `stations` gives every site a UMTS or LTE station; `cells` puts
every cell within `JITTER_M` of its site; `register` writes the site register's rows. The feed does not depend on
`cfg.scale`. `defects` then injects the defect classes (`defect_edits` holds how each changes the rows) and
`writer` writes the two files.

Positions are handled as integer micro-degrees, so the six decimals written are exact and stay inside the
commune boxes.
"""

from kho06.simulator.bts.writer import simulate

__all__ = ["simulate"]
