"""The id under which a pipeline run's quality results are recorded.

A run started by a schedule or the sensor is one Dagster run; `kho06 run` materialises its stages one after the
other and tags each with the same `kho06/run` id, so that the results of all its stages are one run in dq.*.
"""

import dagster as dg

RUN_TAG = "kho06/run"
# set on the quality stage of a `kho06 run` whose earlier stages failed: the run is recorded as failed
FAILED_TAG = "kho06/earlier_stage_failed"


def _op_context(context) -> dg.OpExecutionContext:
    """The op context of an asset's or an asset check's execution context."""
    return getattr(context, "op_execution_context", context)


def pipeline_run_id(context) -> str:
    op = _op_context(context)
    return op.run.tags.get(RUN_TAG) or op.run_id


def earlier_stage_failed(context) -> bool:
    return _op_context(context).run.tags.get(FAILED_TAG) == "true"
