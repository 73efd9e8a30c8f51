"""The dbt project as Dagster assets: staging → intermediate → marts, keyed to join the landing assets."""

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from kho06.settings import PROJECT_ROOT

DBT_DIR = PROJECT_ROOT / "dbt_project"
project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR)
if not project.manifest_path.exists():  # a fresh checkout that has not run `make setup`
    project.preparer.prepare(project)


class Translator(DagsterDbtTranslator):
    """Sources keep their `<schema>/<table>` keys (so they join the landing and reference assets); models are
    grouped by their layer and domain folder (e.g. `marts_telecom`)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props.get("resource_type") == "source":
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props.get("resource_type") == "seed":
            return "reference"
        return "_".join(fqn[1:3]) if len(fqn) > 3 else (fqn[1] if len(fqn) > 1 else None)


@dbt_assets(manifest=project.manifest_path, project=project, dagster_dbt_translator=Translator())
def kho06_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build"], context=context).stream().fetch_row_counts()


@dg.definitions
def dbt_definitions() -> dg.Definitions:
    # the dbt of this environment, also when its bin/ folder is not on PATH
    executable = Path(sys.executable).parent / "dbt"
    return dg.Definitions(
        assets=[kho06_dbt_models],
        resources={"dbt": DbtCliResource(project_dir=project, dbt_executable=str(executable))},
    )
