"""What becomes of each dossier by the end of the period: due date, outcome and its dates, status, delivery form,
fee payment."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kho06.simulator.config import SimConfig
from kho06.simulator.dossiers.workdays import CLOSE_PM, HOLIDAYS, SECONDS_PER_DAY, at, step_time
from kho06.simulator.sampling import categorical


@dataclass(frozen=True)
class Outcome:
    status: np.ndarray
    due: np.ndarray  # NgayHenTra, -1 when refused
    t_done: np.ndarray  # NgayKetThucXuLy, -1 while running
    t_ret: np.ndarray  # NgayTra, -1 unless returned
    t_step: np.ndarray  # last progress step of a running dossier, else -1
    form: np.ndarray


def process(
    rng: np.random.Generator,
    cfg: SimConfig,
    day: np.ndarray,
    t_recv: np.ndarray,
    channel: np.ndarray,
    legal_days: np.ndarray,
    tod: np.ndarray,
) -> Outcome:
    """Due date, outcome and its dates, status at the end of the period, delivery form."""
    n = len(legal_days)
    end_ts = at(np.array([np.datetime64(cfg.end) + 1]), np.array([0]))[0]
    due_day = np.busday_offset(day, legal_days, roll="forward", holidays=HOLIDAYS)
    u = rng.random(n)
    outcome = np.select([u < 0.006, u < 0.010, u < 0.013, u < 0.018], [3, 7, 8, 9], 10).astype(np.int8)
    late = rng.random(n) < 0.05
    on_time = np.minimum(((legal_days + 1) * rng.random(n) ** 0.8).astype(np.int64), legal_days)
    offset = np.where(late, legal_days + rng.integers(1, 11, n), on_time)
    offset = np.where((outcome == 7) | (outcome == 8), (legal_days * rng.random(n)).astype(np.int64), offset)
    done_day, done_tod = step_time(rng, day, tod, offset)
    form = np.select(
        [channel == 3, channel == 2],
        [1, categorical(rng, [0.2, 0.1, 0.7], n)],
        categorical(rng, [0.88, 0.12], n),
    ).astype(np.int8)
    wait = np.where(form == 2, 0, categorical(rng, [0.45, 0.3, 0.1, 0.07, 0.05, 0.03], n))
    ret_day, ret_tod = step_time(rng, done_day, done_tod, wait)

    t_done = at(done_day, done_tod)
    t_ret = at(ret_day, ret_tod)
    running = (outcome != 3) & (t_done >= end_ts)
    u = rng.random(n)
    running_status = np.select([t_recv >= end_ts - SECONDS_PER_DAY, u < 0.10, u < 0.15], [2, 5, 6], 4)
    status = np.where(running, running_status, outcome).astype(np.int8)
    status[(status == 10) & (t_ret >= end_ts)] = 9
    return Outcome(
        status=status,
        due=np.where(status == 3, -1, at(due_day, np.full(n, CLOSE_PM))),
        t_done=np.where(np.isin(status, (7, 8, 9, 10)), t_done, -1),
        t_ret=np.where(status == 10, t_ret, -1),
        t_step=np.where(np.isin(status, (4, 5, 6)), t_recv + 1 + (rng.random(n) * 3600).astype(np.int64), -1),
        form=form,
    )


def fee_payment(
    rng: np.random.Generator,
    channel: np.ndarray,
    status: np.ndarray,
    has_fee: np.ndarray,
    years_in: np.ndarray,
) -> np.ndarray:
    """-1 no fee list; 1 paid online; 0 paid at the desk. Online payment grows with online filing."""
    online_pay = np.where(channel == 2, np.clip(0.35 + 0.2 * years_in, 0, 0.95), 0.05)
    paid_online = rng.random(len(has_fee)) < online_pay
    return np.where(has_fee & (status != 3), paid_online.astype(np.int8), -1).astype(np.int8)
