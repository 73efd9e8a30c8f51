"""The landing contracts of the four feeds (see raw/README.md)."""

from kho06.landing.contract import TableContract
from kho06.landing.feeds import bts, ocop, population

CONTRACTS: list[TableContract] = [population.SNAPSHOT, population.EVENTS, bts.CELLS, bts.SITES, ocop.PRODUCTS]
