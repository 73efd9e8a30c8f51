"""Landing assets of the population feed: the register snapshot (per delivery) and daily life events."""

from kho06.landing.feeds.population import EVENTS, SNAPSHOT
from orchestration.defs.landing.factory import landing_asset

population_snapshot = landing_asset(SNAPSHOT)
population_events = landing_asset(EVENTS)
