"""The id under which a pipeline run's quality results are recorded.

A run started by a schedule or the sensor is one Dagster run; `kho06 run` materialises its stages one after the
other and tags each with the same `kho06/run` id, so that the results of all its stages are one run in dq.*.
"""

import dagster as dg

RUN_TAG = "kho06/run"
# set on the quality stage of a `kho06 run` whose earlier stages failed: the run is recorded as failed
FAILED_TAG = "kho06/earlier_stage_failed"


def pipeline_run_id(context: dg.OpExecutionContext) -> str:
    return context.run.tags.get(RUN_TAG) or context.run_id


def earlier_stage_failed(context: dg.OpExecutionContext) -> bool:
    return context.run.tags.get(FAILED_TAG) == "true"
