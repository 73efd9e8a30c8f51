"""dbt-duckdb plugin: defines `pseudonym(varchar) -> varchar` on every connection and cursor dbt opens.

Named in `dbt_project/profiles.yml` (`plugins: [{module: kho06.warehouse.dbt_plugin}]`).
"""

from __future__ import annotations

from dbt.adapters.duckdb.plugins import BasePlugin

from kho06.warehouse.pseudonym import key_from_env, sql_macro


class Plugin(BasePlugin):
    def initialize(self, plugin_config) -> None:
        # raises in production without a real key: the build stops here
        self.macro = sql_macro(key_from_env())

    def configure_connection(self, conn) -> None:
        conn.execute(self.macro)

    def configure_cursor(self, cursor) -> None:
        # a temporary macro belongs to one session, and each dbt thread works on its own cursor
        cursor.execute(self.macro)
