"""Where things live: two settings place the landing zone and the warehouse.

`KHO06_RAW_DIR` (default `raw/`) and `KHO06_WAREHOUSE_DIR` (default `warehouse/`); `kho06 run --raw/--warehouse`
sets them for its own process. Two DuckDB files live in the warehouse folder:

- `<warehouse>/build.duckdb`, the build: what the landing, dbt and the quality stage write (one writer). The
  Dagster resource and dbt's `profiles.yml` both read its path from `KHO06_DUCKDB_PATH`, derived here when unset.
- `<warehouse>/kho06.duckdb`, the published warehouse analysts open (read-only, at any time): the marts, the
  reference tables and the quality results, copied from the build and swapped into place at the end of a run
  (kho06.publish). `KHO06_PUBLISHED_PATH` places it elsewhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DB_FILENAME = "build.duckdb"
PUBLISHED_FILENAME = "kho06.duckdb"


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse_dir: Path

    @property
    def duckdb_path(self) -> Path:
        """The build database (landing, staging, intermediate, checks, marts, dq): the pipeline's own file."""
        return Path(os.environ.get("KHO06_DUCKDB_PATH") or self.warehouse_dir / DB_FILENAME)

    @property
    def published_path(self) -> Path:
        """The published warehouse analysts read: what `kho06.publish` copies out of the build."""
        return Path(os.environ.get("KHO06_PUBLISHED_PATH") or self.warehouse_dir / PUBLISHED_FILENAME)


def _resolve(value: str | None, default: str) -> Path:
    path = Path(value or default)
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


def get_settings() -> Settings:
    return Settings(
        raw_dir=_resolve(os.environ.get("KHO06_RAW_DIR"), "raw"),
        warehouse_dir=_resolve(os.environ.get("KHO06_WAREHOUSE_DIR"), "warehouse"),
    )


def apply(raw: Path | None = None, warehouse: Path | None = None) -> Settings:
    """Set the two settings for this process (and the DuckDB path derived from them) and return them."""
    if raw is not None:
        os.environ["KHO06_RAW_DIR"] = str(raw.resolve())
    if warehouse is not None:
        os.environ["KHO06_WAREHOUSE_DIR"] = str(warehouse.resolve())
        os.environ.pop("KHO06_DUCKDB_PATH", None)
        os.environ.pop("KHO06_PUBLISHED_PATH", None)
    settings = get_settings()
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KHO06_DUCKDB_PATH", str(settings.duckdb_path))
    return settings
