"""The landing contracts of the four feeds (see raw/README.md)."""

from kho06.landing.contract import TableContract
from kho06.landing.feeds import bts, dossiers, ocop, population

CONTRACTS: list[TableContract] = [
    population.SNAPSHOT,
    population.EVENTS,
    dossiers.PROCEDURES,
    dossiers.AGENCIES,
    dossiers.DOSSIERS,
    bts.CELLS,
    bts.SITES,
    ocop.PRODUCTS,
]
# delivered as one file per day (partitioned by day), and as whole snapshots
DAILY_CONTRACTS = [c for c in CONTRACTS if c.daily]
SNAPSHOT_CONTRACTS = [c for c in CONTRACTS if not c.daily]
