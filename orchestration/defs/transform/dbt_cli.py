"""The dbt resource of the pipeline: dagster-dbt's `DbtCliResource` without two start-up costs of each dbt step.

Before it starts dbt, dagster-dbt's resource runs `dbt --version` in a child process to learn which dbt it drives
(a whole dbt start-up, several seconds) and builds a dbt adapter in this process, which it needs only for
`fetch_row_counts()` and `fetch_column_metadata()`. The pipeline uses neither (row counts are read after dbt has
released the warehouse file: `dbt.with_row_counts`), and the dbt it drives is the dbt-core installed beside it:
its version is read from the package's metadata, and no adapter is built.
"""

from functools import cached_property
from importlib.metadata import version as installed_version
from typing import Any

from dagster_dbt import DbtCliResource
from packaging import version


class PipelineDbtCli(DbtCliResource):
    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Any) -> Any:
        return None
