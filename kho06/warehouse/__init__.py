"""Warehouse-side helpers used by dbt (the DuckDB functions its models call)."""

# dbt as the orchestrated builds run it: models, seeds and data tests, not the unit tests (they check the models'
# logic on fixed rows; the test suite runs them, as dbt recommends for production)
PRODUCTION_BUILD_FLAGS = ("--exclude-resource-type", "unit_test")
