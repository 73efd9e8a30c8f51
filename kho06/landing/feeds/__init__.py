"""The landing contracts of the four feeds (see raw/README.md)."""

from kho06.landing.contract import TableContract

CONTRACTS: list[TableContract] = []
