"""The population feed: the province's resident register (CSDL quốc gia về dân cư), as delivered to the warehouse.

Writes under `cfg.out/population/` (contract: docs/contracts/population.md):

* `snapshot/<district_code>.csv`: the register at the end of `cfg.end`, one file per district, DC01 layout;
* `events/<YYYY>/<YYYY-MM-DD>.csv`: the life events of each day of the period (births, deaths, moves,
  corrections), one file per day, header even when the day is empty.

The clean register is built in three steps, all from `clean...` streams, one module a step:

1. `households` (with `members`): households at `cfg.start`: size (1–9), composition (head, spouse, children,
   the head's parents, a married son with his wife and children), ages, sexes, family surnames, commune and
   thôn/xóm; the typed records are in `records`;
2. `events` (driven by `period`): births into households with a mother of child-bearing age, deaths of household
   members other than the head (age-weighted), moves of whole households to another commune, one-field
   corrections;
3. `identities`, `register` and `event_records`: names, citizen IDs and record ids; snapshot and events are
   derived from the same person table, so they agree.

Exactly `cfg.scaled(2_100_000)` persons are alive at `cfg.end`. `defects` injects the defect classes afterwards
(`defect_edits` holds how each changes the register) from `defects...` streams, so a record no defect touches is
byte-identical at every defect rate; `writer` writes the files.
"""

from kho06.simulator.population.writer import simulate

__all__ = ["simulate"]
