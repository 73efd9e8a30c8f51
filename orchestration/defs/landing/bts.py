"""Landing assets of the BTS feed: cells and the site register, loaded per delivery."""

from kho06.landing.feeds.bts import CELLS, SITES
from orchestration.defs.landing.factory import landing_asset

bts_cells = landing_asset(CELLS)
bts_sites = landing_asset(SITES)
