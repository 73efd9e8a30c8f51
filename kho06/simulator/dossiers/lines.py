"""A month of dossiers as sync-call lines: the month's JSON pieces gathered from the lookups with the month's own
random choices, then spliced into one line per dossier."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.simulator.config import SimConfig
from kho06.simulator.dossiers.facts import Facts
from kho06.simulator.dossiers.layout import FEED
from kho06.simulator.dossiers.pieces import STATES, Lookups, flag_code


def month_frame(cfg: SimConfig, facts: Facts, lo: int, hi: int, look: Lookups) -> pl.DataFrame:
    """The JSON pieces of dossiers lo..hi (one month), with the random choices drawn from that month's stream."""
    rng = cfg.rng(FEED, f"clean-month-{np.datetime64(facts.day[lo], 'M')}")
    sl = facts.slice(lo, hi)
    n = hi - lo
    n_firms = len(look.applicants) - look.n_people
    who = np.where(
        sl.kind == 1, rng.integers(0, look.n_people, n), look.n_people + rng.integers(0, n_firms, n)
    )
    agency = sl.agency.astype(np.int64)
    officer_one = (agency * 7 + rng.integers(0, 3, n)) % len(look.officer_head)
    officer_two = (agency * 13 + 5 + rng.integers(0, 4, n)) % len(look.officer_head)
    status = sl.status.astype(np.int64)
    returned = status == 10
    specialist = np.where(look.agency_cap[agency] == 2, 2, 1)
    day_index = (sl.day - np.datetime64(cfg.start)).astype(np.int64)
    proc = sl.proc.astype(np.int64)
    stamps = look.stamps
    received = stamps(sl.t_recv)
    fee_code = np.where(sl.fee_online < 0, len(look.fee_json) - 1, proc * 2 + sl.fee_online)
    at_desk = returned | (status <= 3)  # received, refused or returned: a one-stop desk step
    step_time = np.select(
        [status <= 3, returned, sl.t_step >= 0], [sl.t_recv, sl.t_ret, sl.t_step], sl.t_done
    )
    return pl.DataFrame(
        {
            "day_index": day_index,
            "proc": proc,
            "who": who,
            "officer_two": officer_two,
            "specialist": specialist,
            "MaHoSo": look.agency_code.gather(agency)
            + "-"
            + look.day_label.gather(day_index)
            + "-"
            + pl.Series(sl.seq).cast(pl.String).str.zfill(4),
            "proc_json": look.proc_json.gather(proc),
            "KenhThucHien": pl.Series(sl.channel).cast(pl.String),
            "applicant_json": look.applicants["applicant_json"].gather(who),
            "TrichYeuHoSo": look.subject.gather(proc),
            "NgayTiepNhan": received,
            "NgayHenTra": stamps(sl.due),
            "NgayKetThucXuLy": stamps(sl.t_done),
            "NgayTra": stamps(sl.t_ret),
            "TrangThaiHoSo": sl.status,
            "DonViXuLy": look.agency_code.gather(agency),
            "flags": look.flags_json.gather(flag_code(sl.form, sl.so_hs, sl.so_kq, sl.rating)),
            "fee": look.fee_json.gather(fee_code),
            "step_head": look.officer_head.gather(np.where(at_desk, officer_one, officer_two)),
            "step_time": stamps(step_time),
            "step_tail": look.step_tail.gather(np.where(at_desk, 0, specialist) * STATES + status),
        }
    )


def encode_lines(frame: pl.DataFrame, prefixes: pl.Series) -> pl.Series:
    """The sync call of each dossier: the day's envelope prefix, the record, `]}`.

    Record members, in order: MaHoSo, PROC_FIELDS, KenhThucHien, APPLICANT_COLUMNS, TrichYeuHoSo, the four
    dates, TrangThaiHoSo, DonViXuLy, HinhThuc, SoHoaHoSo, SoHoaKetQua, DanhGiaHaiLong, DanhSachLePhi,
    QuaTrinhXuLy. The pieces are JSON already (strings quoted), absent dates become null.
    """

    def date(col: str) -> pl.Expr:
        return pl.col(col).fill_null(pl.lit("null"))

    line = pl.concat_str(
        [
            pl.lit(prefixes).gather(pl.col("day_index")),
            pl.lit('{"MaHoSo":"'),
            pl.col("MaHoSo"),
            pl.lit('",'),
            pl.col("proc_json"),
            pl.lit(',"KenhThucHien":'),
            pl.col("KenhThucHien"),
            pl.lit(","),
            pl.col("applicant_json"),
            pl.lit(',"TrichYeuHoSo":"'),
            pl.col("TrichYeuHoSo"),
            pl.lit('","NgayTiepNhan":'),
            date("NgayTiepNhan"),
            pl.lit(',"NgayHenTra":'),
            date("NgayHenTra"),
            pl.lit(',"NgayKetThucXuLy":'),
            date("NgayKetThucXuLy"),
            pl.lit(',"NgayTra":'),
            date("NgayTra"),
            pl.lit(',"TrangThaiHoSo":'),
            pl.col("TrangThaiHoSo").cast(pl.String),
            pl.lit(',"DonViXuLy":"'),
            pl.col("DonViXuLy"),
            pl.lit('"'),
            pl.col("flags"),
            pl.lit(',"DanhSachLePhi":['),
            pl.col("fee"),
            pl.lit('],"QuaTrinhXuLy":['),
            pl.col("step_head"),
            pl.col("step_time"),
            pl.col("step_tail"),
            pl.lit("]}]}"),
        ]
    )
    return frame.select(line.alias("line")).to_series()
