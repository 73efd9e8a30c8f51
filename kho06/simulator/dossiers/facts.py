"""Every dossier's facts for the whole period, drawn at once as numpy columns: day and time of reception,
procedure, agency, applicant kind, channel, then the outcome and the calibrated ratings and digitisation."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import polars as pl

from kho06.reference.admin_units import Geography
from kho06.simulator.config import DEFAULT_START, SimConfig
from kho06.simulator.dossiers.calibration import Ratings, calibrate
from kho06.simulator.dossiers.layout import FEED
from kho06.simulator.dossiers.outcomes import Outcome, fee_payment, process
from kho06.simulator.dossiers.volume import daily_counts
from kho06.simulator.dossiers.workdays import HOLIDAYS, at, office_seconds
from kho06.simulator.sampling import categorical


@dataclass(frozen=True)
class Facts:
    """One entry per dossier, sorted by reception time; -1 marks an absent time or rating. Times are epoch
    seconds; indexes point into the catalogue (`proc`) and the agency register (`agency`)."""

    day: np.ndarray  # datetime64[D] of reception
    t_recv: np.ndarray
    proc: np.ndarray
    agency: np.ndarray
    seq: np.ndarray  # running number per agency and day (MaHoSo)
    kind: np.ndarray  # LoaiDoiTuong: 1 person, 2 business
    channel: np.ndarray  # KenhThucHien: 1 direct, 2 online, 3 postal service
    status: np.ndarray  # TrangThaiHoSo at the end of the period
    due: np.ndarray
    t_done: np.ndarray
    t_ret: np.ndarray
    t_step: np.ndarray  # time of the last progress step of a running dossier
    form: np.ndarray  # HinhThuc: how the result is delivered
    fee_online: np.ndarray  # -1 no fee list, 1 paid online, 0 paid at the desk
    rating: np.ndarray
    so_hs: np.ndarray  # SoHoaHoSo
    so_kq: np.ndarray  # SoHoaKetQua

    def __len__(self) -> int:
        return len(self.day)

    def slice(self, lo: int, hi: int) -> Facts:
        return Facts(**{f.name: getattr(self, f.name)[lo:hi] for f in fields(self)})


def simulate_facts(cfg: SimConfig, cat: pl.DataFrame, agencies: pl.DataFrame, geo: Geography) -> Facts:
    """Every dossier's facts, sorted by reception time."""
    rng = cfg.rng(FEED, "clean-facts")
    days = cfg.days()
    counts = daily_counts(cfg)
    n = int(counts.sum())
    day = np.repeat(days, counts)
    closed = ~np.is_busday(day, holidays=HOLIDAYS)
    tod = office_seconds(rng, n, closed)
    order = np.lexsort((tod, day))
    day, tod = day[order], tod[order]
    t_recv = at(day, tod)
    proc = categorical(rng, cat["p"].to_numpy(), n).astype(np.int32)
    agency = _agencies_for(rng, proc, cat, agencies, geo)
    seq = _sequence(day, agency)
    kind = np.where(rng.random(n) < cat["biz"].to_numpy()[proc], 2, 1).astype(np.int8)
    years_in = (day - np.datetime64(DEFAULT_START)).astype(np.float64) / 365.25
    channel = _channels(rng, cat["level"].to_numpy()[proc], years_in)
    outcome: Outcome = process(rng, cfg, day, t_recv, channel, cat["days"].to_numpy()[proc], tod)
    fee_online = fee_payment(rng, channel, outcome.status, cat["fee"].to_numpy()[proc] > 0, years_in)
    ratings: Ratings = calibrate(cfg, day, outcome.status, channel)
    return Facts(
        day=day,
        t_recv=t_recv,
        proc=proc,
        agency=agency,
        seq=seq,
        kind=kind,
        channel=channel,
        status=outcome.status,
        due=outcome.due,
        t_done=outcome.t_done,
        t_ret=outcome.t_ret,
        t_step=outcome.t_step,
        form=outcome.form,
        fee_online=fee_online,
        rating=ratings.rating,
        so_hs=ratings.so_hs,
        so_kq=ratings.so_kq,
    )


def _agencies_for(rng, proc, cat: pl.DataFrame, agencies: pl.DataFrame, geo: Geography) -> np.ndarray:
    """The agency of each dossier: its procedure's department, or a district or commune committee by weight."""
    kind = agencies["kind"].to_numpy()
    dept_agency = np.flatnonzero(kind == "department")
    district_agency = np.flatnonzero(kind == "district")
    commune_agency = np.flatnonzero(kind == "commune")
    communes = geo.communes.sort("district_code", "commune_code")
    ctype = communes["commune_type"].to_numpy()
    cw = np.select([ctype == "Phường", ctype == "Thị trấn"], [1.6, 1.3], 1.0)
    dw = communes.group_by("district_code", maintain_order=True).agg(pl.len())["len"].to_numpy().astype(float)
    dw = np.bincount(np.repeat(np.arange(len(dw)), dw.astype(int)), weights=cw)
    cap = cat["cap"].to_numpy()[proc]
    agency = dept_agency[cat["dept"].to_numpy()[proc]].astype(np.int32)
    at_district, at_commune = cap == 1, cap == 2
    agency[at_district] = district_agency[categorical(rng, dw, int(at_district.sum()))]
    agency[at_commune] = commune_agency[categorical(rng, cw, int(at_commune.sum()))]
    return agency


def _sequence(day: np.ndarray, agency: np.ndarray) -> np.ndarray:
    """1, 2, ... per agency and day, in reception order (the running number of MaHoSo)."""
    key = (day - day[0]).astype(np.int64) * 10_000 + agency
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    start = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
    first = np.maximum.accumulate(np.where(start, np.arange(len(key)), 0))
    seq = np.empty(len(key), dtype=np.int32)
    seq[order] = np.arange(len(key)) - first + 1
    return seq


def _channels(rng, level: np.ndarray, years_in: np.ndarray) -> np.ndarray:
    """1 direct, 2 online (level 3/4 only; growing share), 3 public postal service."""
    online = np.clip(0.22 + 0.17 * years_in, 0, 0.75) * np.select([level == 4, level == 3], [1.0, 0.55], 0.0)
    u = rng.random(len(level))
    return np.select([u < online, u < online + 0.03], [2, 3], 1).astype(np.int8)
