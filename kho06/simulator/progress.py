"""Progress reporting for the simulator: one bar per feed, or nothing (tests, library use)."""

from __future__ import annotations

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class FeedProgress:
    """A feed's progress: `start(total)` once, then `advance(n)` as steps finish."""

    def __init__(self, progress: Progress | None = None, label: str = "") -> None:
        self._progress = progress
        self._label = label
        self._task = None

    def start(self, total: int) -> None:
        if self._progress is not None:
            self._task = self._progress.add_task(self._label, total=total)

    def advance(self, n: int = 1) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, n)


def progress_bars() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description:<11}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
