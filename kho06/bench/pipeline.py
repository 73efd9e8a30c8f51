"""`kho06 bench pipeline`: the whole pipeline as a user runs it, `kho06 run` in a child process, against DuckDB's own
load of the same files (docs/benchmarks.md).

Per scale and repetition: F, the floor (`CREATE TABLE … AS FROM read_csv/read_json` of every text feed, the
`floor` step); P, the cold run (`kho06 run` into a fresh warehouse over every day but the last), its stages read
from the run's `last_run.json` and their peak memory from the sampled series; N, the nightly run of the last day
(its files put back) from a copy of the warehouse as P left it."""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from kho06.bench import stages as st
from kho06.bench.measure import measure
from kho06.bench.tree import TreeRun, child_env, run_tree

console = Console(stderr=True)
COMPLETED = (0, 3)
"""`kho06 run` exit statuses of a completed run (3: some files refused, as simulated defects make them)"""
KHO06 = [sys.executable, "-m", "kho06.cli"]


def _raw_size(raw: Path) -> tuple[int, int]:
    """Files and bytes of the deliveries under `raw` (the simulator's `_truth/` left out)."""
    files = [p for p in raw.rglob("*") if p.is_file() and "_truth" not in p.relative_to(raw).parts]
    return len(files), sum(p.stat().st_size for p in files)


def hold_back_last_day(raw: Path, run_raw: Path) -> tuple[date, list[tuple[Path, Path]]]:
    """A hard-linked copy of `raw` at `run_raw` without its last day's daily files, which wait in `<run_raw>.held/`
    (moved out rather than renamed in place: a file under raw/ that is not a delivery is recorded, and reported, by
    the landing): the day, and each held file with where it goes back."""
    from kho06.landing.feeds import DAILY_CONTRACTS
    from orchestration.run import days_present

    days = days_present(raw)
    if days is None:
        console.print(f"[red]no daily files under {raw}[/red]")
        raise typer.Exit(2)
    aside = run_raw.with_name(run_raw.name + ".held")
    for folder in (run_raw, aside):
        shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(raw, run_raw, copy_function=os.link, ignore=shutil.ignore_patterns("_truth"))
    held = []
    for f in (f for c in DAILY_CONTRACTS for f in c.files(run_raw) if c.day_of(f) == days[1]):
        kept = aside / f.relative_to(run_raw)
        kept.parent.mkdir(parents=True, exist_ok=True)
        f.rename(kept)
        held.append((f, kept))
    return days[1], held


def put_back(held: list[tuple[Path, Path]], back: bool) -> None:
    for f, kept in held:
        src, dst = (kept, f) if back else (f, kept)
        src.rename(dst)


def _run(label: str, args: list[str], scale: float) -> TreeRun:
    with console.status(f"{label}: kho06 {' '.join(args)} ..."):
        run = run_tree([*KHO06, *args], env=child_env(KHO06_KPI_COUNT_SCALE=f"{scale:g}"))
    if run.exit_code not in COMPLETED:
        console.print(f"[red]{label} failed (exit {run.exit_code})[/red]; the end of its stderr:")
        console.print(run.stderr_tail, markup=False, highlight=False)
        raise typer.Exit(1)
    return run


def _last_run(warehouse: Path, run: TreeRun) -> dict[str, Any]:
    """The run's own record of its steps, each with its stage and peak memory; the stages summed."""
    path = warehouse / "last_run.json"
    record = json.loads(path.read_text()) if path.exists() else {}
    steps = st.attribute(record.get("steps", []), run.series)
    t0 = run.series[0][0] if run.series else 0.0
    return {
        "exit_code": run.exit_code,
        "seconds": run.seconds,
        "peak_mib": run.peak_mib,
        "load_average": run.load,
        "last_run": {k: v for k, v in record.items() if k != "steps"} or None,
        "stages": st.group(steps, run.seconds) if steps else [],
        "steps": steps,
        "series_t0": t0,
        "series": [[round(t - t0, 2), round(mib, 1)] for t, mib in run.series],
    }


def one_scale(scale: float, seed: int, repeat: int, work: Path) -> dict[str, Any]:
    """F, P and N at one scale, `repeat` times; medians and ratios within each repetition."""
    base = work / f"pipeline-{scale:g}"
    raw, run_raw, wh = base / "raw", base / "raw_run", base / "wh"
    if not raw.exists():
        with console.status(f"simulating the feeds at scale {scale:g} into {raw} ..."):
            measure("simulate", str(raw), str(scale), str(seed))
    files, raw_bytes = _raw_size(raw)
    last, held = hold_back_last_day(raw, run_raw)
    reps = []
    for i in range(repeat):
        tag = f"scale {scale:g}, run {i + 1}/{repeat}"
        for p in (base / "floor.duckdb", base / "floor.duckdb.wal"):
            p.unlink(missing_ok=True)
        with console.status(f"{tag}: F, the DuckDB floor ..."):
            floor = measure("floor", str(run_raw), str(base / "floor.duckdb"))
        shutil.rmtree(wh, ignore_errors=True)
        full = _last_run(
            wh, _run(f"{tag}: P, cold", ["run", "--raw", str(run_raw), "--warehouse", str(wh)], scale)
        )
        put_back(held, back=True)
        try:
            (wh / "last_run.json").unlink(missing_ok=True)
            nightly = _last_run(
                wh,
                _run(
                    f"{tag}: N, {last}",
                    ["run", "--raw", str(run_raw), "--warehouse", str(wh), "--day", str(last)],
                    scale,
                ),
            )
        finally:
            put_back(held, back=False)
        reps.append(
            {
                "F": {"seconds": floor.seconds, "peak_mib": floor.peak_mib, "rows": floor.detail},
                "P": full,
                "N": nightly,
                "ratios": st.ratios(floor.seconds, full["seconds"], full["stages"], nightly["seconds"]),
            }
        )
    return summarise(scale, seed, reps, files, raw_bytes, last)


def summarise(
    scale: float, seed: int, reps: list[dict], files: int, raw_bytes: int, last: date
) -> dict[str, Any]:
    """Medians over the repetitions (the largest peak), per stage and per step, with every repetition kept."""

    def by_key(part: str, kind: str, key: str) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for r in reps:
            for row in r[part][kind]:
                entry = out.setdefault(row[key], {"runs": [], "peaks": []})
                entry["runs"].append(row["seconds"])
                entry["peaks"].append(row["peak_mib"])
        return {
            k: {
                "median_s": st.median(v["runs"]),
                "runs": v["runs"],
                "peak_mib": max(filter(None, v["peaks"]), default=None),
            }
            for k, v in out.items()
        }

    f_s = [r["F"]["seconds"] for r in reps]
    p_s = [r["P"]["seconds"] for r in reps]
    n_s = [r["N"]["seconds"] for r in reps]
    return {
        "scale": scale,
        "seed": seed,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "raw_files": files,
        "raw_bytes": raw_bytes,
        "raw_rows": sum(reps[0]["F"]["rows"].values()),
        "last_day": str(last),
        "nightly": "kho06 run --day (the nightly job of one partition)",
        "F_s": st.median(f_s),
        "P_s": st.median(p_s),
        "N_s": st.median(n_s),
        "F_peak_mib": max(r["F"]["peak_mib"] for r in reps),
        "P_peak_mib": max(r["P"]["peak_mib"] for r in reps),
        "N_peak_mib": max(r["N"]["peak_mib"] for r in reps),
        "P/F": st.median(r["ratios"]["P/F"] for r in reps),
        "stages": by_key("P", "stages", "stage"),
        "steps": by_key("P", "steps", "step"),
        "N_stages": by_key("N", "stages", "stage"),
        "repetitions": reps,
    }


def _table(s: dict[str, Any]) -> Table:
    table = Table(title=f"kho06 bench pipeline, scale {s['scale']:g} ({s['raw_bytes'] / 2**20:,.0f} MiB raw)")
    for col in ("step", "median s", "runs (s)", "peak MiB", "/ F"):
        table.add_column(col, justify="left" if col == "step" else "right")
    f_s = s["F_s"]

    def row(label: str, runs: list[float], peak: float | None) -> None:
        med = st.median(runs) or 0.0
        shown = "" if peak is None else f"{peak:,.0f}"
        table.add_row(label, f"{med:.1f}", " ".join(f"{r:.1f}" for r in runs), shown, f"{med / f_s:.2f}")

    reps = s["repetitions"]
    row("F: DuckDB floor (CTAS read_csv/read_json)", [r["F"]["seconds"] for r in reps], s["F_peak_mib"])
    row("P: kho06 run, cold (all days but the last)", [r["P"]["seconds"] for r in reps], s["P_peak_mib"])
    for stage, v in s["stages"].items():
        row(f"  {stage}", v["runs"], v["peak_mib"])
    row(f"N: {s['nightly']} for {s['last_day']}", [r["N"]["seconds"] for r in reps], s["N_peak_mib"])
    for stage, v in s["N_stages"].items():
        row(f"  {stage}", v["runs"], v["peak_mib"])
    return table


def _steps_table(s: dict[str, Any]) -> Table:
    table = Table(title=f"P's steps at scale {s['scale']:g}, slowest first")
    for col in ("step", "median s", "runs (s)", "peak MiB"):
        table.add_column(col, justify="left" if col == "step" else "right")
    for step, v in sorted(s["steps"].items(), key=lambda kv: -(kv[1]["median_s"] or 0)):
        peak = "" if v["peak_mib"] is None else f"{v['peak_mib']:,.0f}"
        table.add_row(step, f"{v['median_s']:.1f}", " ".join(f"{r:.1f}" for r in v["runs"]), peak)
    return table


def bench_pipeline(
    scale: Annotated[
        list[float] | None, typer.Option("--scale", help="Repeatable; default 0.1 and 1.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed")] = 6,
    repeat: Annotated[
        int | None, typer.Option("--repeat", min=1, help="Default: 3 below scale 1, else 1.")
    ] = None,
    work: Annotated[Path, typer.Option("--work", help="Scratch folder.")] = Path("/tmp/kho06-bench"),
    out: Annotated[Path, typer.Option("--out", help="JSON results (scales already there are kept).")] = Path(
        "docs/benchmarks-pipeline.json"
    ),
) -> None:
    """The whole pipeline: `kho06 run` cold (P) and nightly (N) in child processes, wall time and the peak memory
    of the whole process tree, per stage from the run's last_run.json, against DuckDB's own load (F)."""
    results: dict[str, Any] = {}
    for s in scale or [0.1, 1.0]:
        reps = repeat or (1 if s >= 1 else 3)
        summary = one_scale(s, seed, reps, work)
        # read again before writing: another run may have written its scale meanwhile
        results = json.loads(out.read_text()) if out.exists() else {}
        by_scale = results.setdefault("scales", {})
        by_scale[f"{s:g}"] = summary
        console.print(_table(summary))
        console.print(_steps_table(summary))
        per_rep = [r["ratios"] for r in summary["repetitions"]]
        pf = " ".join(f"{r['P/F']:.2f}" for r in per_rep)
        ns = " ".join(f"{r['N_s']:.1f}" for r in per_rep)
        console.print(f"P/F per run: {pf}; N per run (s): {ns}")
        results["growth"] = st.growth({float(k): v for k, v in by_scale.items()})
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=1) + "\n")
    for g in results.get("growth", []):
        shown = {
            k: "?" if g[k] is None else f"{g[k]:.1f}" for k in ("bytes", "rows", "F", "P", "N", "P_peak")
        }
        console.print(
            f"scale {g['from']:g} → {g['to']:g}: data ×{shown['bytes']} (rows ×{shown['rows']}); F ×{shown['F']}, "
            f"P ×{shown['P']}, N ×{shown['N']}, P's peak ×{shown['P_peak']}"
        )
    console.print(f"results: {out}")
