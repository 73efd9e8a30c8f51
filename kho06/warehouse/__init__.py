"""Warehouse-side helpers used by dbt (the DuckDB functions its models call)."""
