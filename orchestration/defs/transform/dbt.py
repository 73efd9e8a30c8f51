"""The dbt project as Dagster assets: staging → intermediate → marts, keyed to join the landing assets.

Models tagged `daily` (incremental facts of the daily feeds) and the models computed from them (the scorecard, the
KPI marts) form one asset, `dbt_daily`: a run passes its days (its partition, or its range of partitions, read
from the run's tags) to dbt in the environment (`kho06.warehouse.daily_window_env`) and builds those days and what
depends on them in one dbt invocation (each invocation costs several seconds of start-up). The asset is not
partitioned itself, though the daily landings are: Dagster records one event per partition and asset of a run,
and a run over three years of days would write some 20,000 of them for the dbt models alone (minutes), where the
daily landings write about 2,000. The window is not passed as `--vars`, because dbt parses the whole
project again whenever the command-line vars change; a changed environment variable re-parses only the models that
read it, so the nightly run keeps the parse of `make setup`. The other models form one unpartitioned asset.

dbt unit tests check the models' logic against fixed rows, not the delivered data: the orchestrated builds leave
them out (`--exclude-resource-type unit_test`, as dbt recommends for production) and the test suite runs them.
"""

import json
import os
import shutil
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from kho06.settings import PROJECT_ROOT
from kho06.warehouse import PRODUCTION_BUILD_FLAGS, daily_window_env
from orchestration.defs.transform.dbt_cli import PipelineDbtCli
from orchestration.nightly_tags import PARTITION, RANGE_END, RANGE_START

DBT_DIR = PROJECT_ROOT / "dbt_project"
project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR)
if not project.manifest_path.exists():  # a fresh checkout that has not run `make setup`
    project.preparer.prepare(project)

DAILY = "tag:daily"
BUILD = ["build", *PRODUCTION_BUILD_FLAGS]


def sources_behind_views(manifest: Mapping[str, Any], unique_id: str) -> set[str]:
    """The sources a node reads through its parents that are views (a view holds no data of its own)."""
    found = set()
    for parent in manifest["parent_map"].get(unique_id, []):
        node = manifest["nodes"].get(parent, {})
        if node.get("resource_type") == "model" and node["config"].get("materialized") == "view":
            found |= {p for p in manifest["parent_map"][parent] if p.startswith("source.")}
            found |= sources_behind_views(manifest, parent)
    return found


class Translator(DagsterDbtTranslator):
    """Sources keep their `<schema>/<table>` keys (so they join the landing and reference assets); models are
    grouped by their layer and domain folder (e.g. `marts_telecom`).

    A daily model also depends on the landing tables it reads through staging views: the daily job builds the
    daily models and not the views, so without these edges it could run dbt before the day is landed.
    """

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props.get("resource_type") != "model" or "daily" not in props.get("tags", []):
            return spec
        have = {dep.asset_key for dep in spec.deps}
        landed = {
            self.get_asset_spec(manifest, s, project).key for s in sources_behind_views(manifest, unique_id)
        }
        return spec.merge_attributes(deps=[dg.AssetDep(key) for key in sorted(landed - have, key=str)])

    def get_asset_check_spec(
        self,
        asset_spec: dg.AssetSpec,
        manifest: Mapping[str, Any],
        unique_id: str,
        project: DbtProject | None,
    ) -> dg.AssetCheckSpec | None:
        """A dbt test is an asset check that never blocks: when an error-level test fails, dbt itself skips what
        depends on the tested model within its invocation (recorded in dq.held_back); a blocking check would
        instead fail the whole dbt step and stop the other feeds' models and the daily build after it."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None:
            return None
        return dg.AssetCheckSpec(
            name=spec.name,
            asset=spec.asset_key,
            description=spec.description,
            additional_deps=spec.additional_deps,
            metadata=spec.metadata,
            blocking=False,
        )

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props.get("resource_type") == "source":
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props.get("resource_type") == "seed":
            return "reference"
        return "_".join(fqn[1:3]) if len(fqn) > 3 else (fqn[1] if len(fqn) > 1 else None)


def _has_daily_models() -> bool:
    manifest = json.loads(project.manifest_path.read_text())
    return any(
        "daily" in n.get("tags", []) for n in manifest["nodes"].values() if n["resource_type"] == "model"
    )


translator = Translator()
HAS_DAILY = _has_daily_models()


def record_not_built(context: dg.AssetExecutionContext, invocation) -> None:
    """Record in dq.held_back what this dbt invocation did not build (errors, failing error-level tests, models
    skipped because of them), for the quality stage and the run summary; warn in the run's log."""
    from kho06.quality import held_back
    from kho06.settings import get_settings
    from orchestration.defs.quality.run_id import pipeline_run_id

    try:
        run_results = invocation.get_artifact("run_results.json")
    except FileNotFoundError:
        run_results = {}
    rows = held_back.record(get_settings().duckdb_path, pipeline_run_id(context), run_results)
    for row in rows:
        context.log.warning(f"dbt did not build {row['node']} ({row['status']}): {row['reason'] or ''}")
    if not invocation.is_successful() and not rows:
        # dbt itself failed (a project that does not compile, a warehouse it cannot open): a pipeline failure,
        # not a data defect
        raise dg.Failure("dbt failed before building any node; see the dbt log of this step")


def parse_of_this_warehouse() -> None:
    """Where dbt's parse is kept for the warehouse being built: dbt parses the whole project again whenever the
    rendered profile differs (here, the warehouse's path), so the parse `make setup` made for warehouse/ serves
    only warehouse/. A build elsewhere keeps its own parse in `<warehouse>/dbt_target/` (dagster-dbt starts each
    dbt run from the parse under DBT_TARGET_PATH): its first dbt run parses, the next ones reuse it."""
    from kho06.settings import get_settings

    settings = get_settings()
    if "DBT_TARGET_PATH" in os.environ or settings.warehouse_dir == PROJECT_ROOT / "warehouse":
        return
    os.environ["DBT_TARGET_PATH"] = str(settings.warehouse_dir / "dbt_target")


def keep_parse(invocation) -> None:
    """Keep this dbt run's parse where the next dbt run of this warehouse starts from (DBT_TARGET_PATH)."""
    kept = os.environ.get("DBT_TARGET_PATH")
    made = Path(invocation.target_path) / "partial_parse.msgpack"
    if kept and Path(kept).is_absolute() and made.exists():
        shutil.copyfile(made, Path(kept) / "partial_parse.msgpack")


def with_row_counts(events):
    """Attach `dagster/row_count` to each built table once the dbt process has ended.

    dagster-dbt's own `fetch_row_counts()` queries through an in-process dbt adapter that keeps the DuckDB file
    locked, so the next dbt process could not open it (one writer per file); here the counts are read with a
    short-lived connection after dbt has released the file. The tests' results go on as dbt reports them, so
    that Dagster records them while dbt still runs; only the tables' events wait for their counts.
    """
    import duckdb

    from kho06.settings import get_settings

    built = []
    for event in events:
        if isinstance(event, dg.AssetCheckResult | dg.AssetCheckEvaluation):
            yield event
        else:
            built.append(event)
    with duckdb.connect(str(get_settings().duckdb_path)) as con:
        tables = {
            f"{s}.{t}"
            for s, t in con.execute(
                "select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE'"
            ).fetchall()
        }
        for event in built:
            name = str(getattr(event, "metadata", {}).get("dagster/table_name", "") or "")
            relation = ".".join(name.replace('"', "").split(".")[-2:])
            if relation in tables and hasattr(event, "with_metadata"):
                row = con.execute(f"select count(*) from {relation}").fetchone()
                count = row[0] if row else 0
                event = event.with_metadata({**event.metadata, "dagster/row_count": count})
            yield event


@dbt_assets(
    manifest=project.manifest_path,
    project=project,
    dagster_dbt_translator=translator,
    exclude=f"{DAILY}+" if HAS_DAILY else "",
    name="dbt_models",
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    parse_of_this_warehouse()
    invocation = dbt.cli(BUILD, context=context, raise_on_error=False)
    yield from with_row_counts(invocation.stream())
    keep_parse(invocation)
    record_not_built(context, invocation)


assets = [dbt_models]


def run_days(context: dg.AssetExecutionContext) -> tuple[date, date] | None:
    """The days a run covers, from its tags: its day (`dagster/partition`), its range of days, or None (every
    day) for a run without days."""
    tags = context.run.tags
    if tags.get(PARTITION):
        day = date.fromisoformat(tags[PARTITION])
        return day, day
    if tags.get(RANGE_START) and tags.get(RANGE_END):
        return date.fromisoformat(tags[RANGE_START]), date.fromisoformat(tags[RANGE_END])
    return None


if HAS_DAILY:

    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        dagster_dbt_translator=translator,
        select=f"{DAILY}+",
        name="dbt_daily",
    )
    def dbt_daily(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        days = run_days(context)
        parse_of_this_warehouse()
        # dagster-dbt hands its dbt process a copy of this process's environment: the window is in it while the
        # process starts, and restored after
        with mock.patch.dict(os.environ, daily_window_env(*days) if days else {}):
            invocation = dbt.cli(BUILD, context=context, raise_on_error=False)
        yield from with_row_counts(invocation.stream())
        keep_parse(invocation)
        record_not_built(context, invocation)

    assets += [dbt_daily]


@dg.definitions
def dbt_definitions() -> dg.Definitions:
    # the dbt of this environment, also when its bin/ folder is not on PATH
    executable = Path(sys.executable).parent / "dbt"
    return dg.Definitions(
        assets=assets,
        resources={
            "dbt": PipelineDbtCli(
                project_dir=str(project.project_dir),
                profiles_dir=str(project.profiles_dir),
                dbt_executable=str(executable),
            )
        },
    )
