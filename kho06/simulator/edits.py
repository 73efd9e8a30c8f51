"""A feed's records as its defect classes change them: fields set at given rows, one class after another (each
sees the changes of those before it), and the rows the classes add, appended after the clean ones."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl


class FrameEdits:
    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame
        self.added: list[pl.DataFrame] = []

    def set(self, rows: np.ndarray, **columns: Any) -> None:
        """Set each named column to its values at row positions `rows` (None blanks a field)."""
        if len(rows) == 0:
            return
        self.frame = self.frame.with_columns(
            self.frame[name].clone().scatter(rows, pl.Series(name, values).cast(self.frame.schema[name]))
            for name, values in columns.items()
        )

    def add(self, rows: pl.DataFrame) -> None:
        self.added.append(rows)

    def result(self, how: Any = "vertical") -> pl.DataFrame:
        """The changed records followed by the added ones."""
        return pl.concat([self.frame, *self.added], how=how) if self.added else self.frame
