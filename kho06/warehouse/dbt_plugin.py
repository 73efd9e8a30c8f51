"""dbt-duckdb plugin: registers `pseudonym(varchar) -> varchar` on every connection dbt opens.

Named in `dbt_project/profiles.yml` (`plugins: [{module: kho06.warehouse.dbt_plugin}]`).
"""

from __future__ import annotations

import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin

from kho06.warehouse.pseudonym import key_from_env, pseudonym


class Plugin(BasePlugin):
    def initialize(self, plugin_config) -> None:
        self.key = key_from_env()  # raises in production without a real key: the build stops here

    def configure_connection(self, conn) -> None:
        key = self.key

        def _pseudonym(values: pa.Array) -> pa.Array:
            return pa.array([pseudonym(v, key) for v in values.to_pylist()], type=pa.string())

        conn.create_function("pseudonym", _pseudonym, ["VARCHAR"], "VARCHAR", type="arrow",
                             side_effects=False)
