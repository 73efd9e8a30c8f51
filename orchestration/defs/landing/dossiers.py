"""Landing assets of the dossiers feed: the catalogue and agency register (per delivery), daily dossiers."""

from kho06.landing.feeds.dossiers import AGENCIES, DOSSIERS, PROCEDURES
from orchestration.defs.landing.factory import landing_asset

dossier_procedures = landing_asset(PROCEDURES)
dossier_agencies = landing_asset(AGENCIES)
dossiers = landing_asset(DOSSIERS)
