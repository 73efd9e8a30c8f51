"""Landing asset of the OCOP feed: the product workbook, loaded per delivery."""

from kho06.landing.feeds.ocop import PRODUCTS
from orchestration.defs.landing.factory import landing_asset

ocop_products = landing_asset(PRODUCTS)
