"""The benchmarks, `kho06 bench ...`: `cli` (the commands), `measure` (a step timed in a child process, its peak
memory read from the kernel), `steps` (the steps measured, run as `python -m kho06.bench.steps STEP ARGS`)."""
