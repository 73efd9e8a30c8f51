"""The BTS feed: an OpenCelliD-style cell dump of the province and the regulator's site register.

Files under `OUT/bts/` (contract: docs/contracts/bts.md):

* `cells/cell_towers_452.csv`: OpenCelliD rows without a header (GSM, UMTS and LTE cells of MCC 452);
* `sites/so_dang_ky_vi_tri_tram.csv`: the site register (sổ đăng ký vị trí trạm), UTF-8 with BOM.

The clean feed holds exactly 3,240 live stations at 1,582 sites as of `cfg.end` (see `TOTAL_STATIONS`,
`TOTAL_SITES`). A station is one operator's base station of one radio technology at a site; its id is derived
from the cell id (GSM BTS, UMTS NodeB, LTE eNodeB). Sites are placed inside the communes' bounding boxes at least
`MIN_SITE_GAP_M` apart, every site carries a UMTS or LTE station, and every cell lies within `JITTER_M` of its
site. The feed does not depend on `cfg.scale`.

Positions are handled as integer micro-degrees, so the six decimals written are exact and stay inside the
commune boxes.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from kho06.simulator.config import FeedResult, SimConfig
from kho06.simulator.geography import LAT_RANGE, Geography
from kho06.simulator.names import hamlet_names
from kho06.simulator.progress import FeedProgress
from kho06.simulator.truth import DefectLog, defect_count, pick_disjoint

FEED = "bts"
MCC = 452
RADIOS = ("GSM", "UMTS", "LTE")
CELL_COLUMNS = [
    "radio", "mcc", "net", "area", "cell", "unit", "lon", "lat", "range", "samples", "changeable",
    "created", "updated", "averageSignal",
]  # fmt: skip
CELLS_FILE = "cells/cell_towers_452.csv"
SITES_FILE = "sites/so_dang_ky_vi_tri_tram.csv"

# MNC → name used in the register, and the operator's weight when stations are drawn.
OPERATORS = {
    4: ("Viettel", 0.40),
    2: ("VNPT", 0.27),
    1: ("MobiFone", 0.23),
    5: ("Vietnamobile", 0.07),
    7: ("Gmobile", 0.03),
}
RADIO_WEIGHT = {"GSM": 0.30, "UMTS": 0.25, "LTE": 0.45}
GSM_ONLY = {7}  # Gmobile runs a 2G network only

TOTAL_SITES = 1582
TOTAL_STATIONS = 3240
LINK_RADIUS_M = 50  # a station belongs to the register site within this distance of its cells
MIN_SITE_GAP_M = 210  # sites are drawn this far apart (the contract promises >= 200 m)
JITTER_M = 25  # cells lie within this distance of their site (the contract promises <= 30 m)
SITES_PER_KM2 = 4.0  # upper bound of site density used to cap a commune's share
LIVE_DAYS = 365
STALE_MIN_DAYS = 3 * 365
INSPECTION_VALID_DAYS = 3 * 365
UPDATED_WITHIN_DAYS = 150
UTC_OFFSET_S = 7 * 3600
DAY_S = 86_400

M_PER_UDEG_LAT = 0.110574  # metres per micro-degree of latitude
M_PER_UDEG_LON_EQ = 0.111320  # metres per micro-degree of longitude at the equator

MAST_TYPES = np.array(["Cột tự đứng", "Cột dây co", "Cột trên nóc nhà", "Cột ngụy trang"])
MAST_P_URBAN = [0.25, 0.05, 0.55, 0.15]
MAST_P_RURAL = [0.50, 0.42, 0.06, 0.02]
MAST_HEIGHT = np.array([[30, 60], [30, 45], [6, 18], [12, 25]])  # metres, per mast type
URBAN_TYPES = ("Phường", "Thị trấn")
TYPE_DENSITY = {"Phường": 3.0, "Thị trấn": 2.0, "Xã": 1.0}
PROVINCE = "Tỉnh Hải Dương"
ABBREVIATIONS = [
    ("Thành phố ", "TP. "),
    ("Thị trấn ", "TT. "),
    ("Thị xã ", "TX. "),
    ("Phường ", "P. "),
    ("Huyện ", "H. "),
    ("Tỉnh ", "T. "),
    ("Xã ", "X. "),
]


def simulate(cfg: SimConfig, geo: Geography, truth: DefectLog, progress: FeedProgress) -> FeedResult:
    progress.start(5)
    as_of = as_of_unix(cfg.end)
    sites = _sites(cfg, geo)
    progress.advance()
    stations = _stations(cfg, sites, as_of)
    cells = _cells(cfg, stations, sites, as_of)
    register = _register(cfg, sites, stations, as_of)
    progress.advance()
    cells = _cell_defects(cfg, cells, truth, as_of)
    progress.advance()
    register = _register_defects(cfg, register, truth, as_of)
    progress.advance()
    written = [_write_cells(cfg, cells), _write_register(cfg, register)]
    progress.advance()
    return FeedResult(
        FEED, files=2, records=len(cells) + len(register), bytes=sum(p.stat().st_size for p in written)
    )


def as_of_unix(end: date) -> int:
    """Unix seconds of the start of the day after `end`, Vietnam time (UTC+7): the feed's as-of instant."""
    return int((np.datetime64(end, "D") + 1).astype("datetime64[s]").astype(np.int64)) - UTC_OFFSET_S


def cell_key() -> pl.Expr:
    """The cell's own key, `<radio>:<mcc>:<net>:<area>:<cell>` (an empty field stays empty)."""
    return pl.concat_str(
        [pl.col(c).cast(pl.String).fill_null("") for c in ("radio", "mcc", "net", "area", "cell")],
        separator=":",
    ).alias("key")


# --- sites -------------------------------------------------------------------------------------------------


def _allocate(total: int, weights: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """At least one per item, `total` in all, in proportion to `weights`, never above `caps`."""
    n = np.ones(len(weights), dtype=np.int64)
    while (left := total - int(n.sum())) > 0:
        room = caps - n
        w = np.where(room > 0, weights, 0.0)
        if w.sum() == 0:
            raise ValueError(f"cannot place {total} items within the caps")
        share = left * w / w.sum()
        add = np.minimum(np.floor(share).astype(np.int64), room)
        if add.sum() == 0:
            open_ = np.flatnonzero(room > 0)
            add[open_[np.argsort(-share[open_], kind="stable")[:left]]] = 1
        n += add
    return n


def _boxes(communes: pl.DataFrame) -> pl.DataFrame:
    """Commune bounds in micro-degrees (inclusive, inside the float bounds) and box size in km."""
    return communes.with_columns(
        (pl.col("lat_min") * 1e6).ceil().cast(pl.Int64).alias("lat_lo"),
        (pl.col("lat_max") * 1e6).floor().cast(pl.Int64).alias("lat_hi"),
        (pl.col("lon_min") * 1e6).ceil().cast(pl.Int64).alias("lon_lo"),
        (pl.col("lon_max") * 1e6).floor().cast(pl.Int64).alias("lon_hi"),
        ((pl.col("lat_max") - pl.col("lat_min")) * M_PER_UDEG_LAT * 1e3).alias("h_km"),
        (
            (pl.col("lon_max") - pl.col("lon_min")) * M_PER_UDEG_LON_EQ * 1e3 * pl.col("lat").radians().cos()
        ).alias("w_km"),
        pl.col("commune_type").is_in(URBAN_TYPES).alias("urban"),
    )


def _sites_per_commune(boxes: pl.DataFrame) -> np.ndarray:
    area = (boxes["h_km"] * boxes["w_km"]).to_numpy()
    density = boxes["commune_type"].replace_strict(TYPE_DENSITY, default=1.0).to_numpy()
    caps = np.maximum(1, np.floor(area * SITES_PER_KM2)).astype(np.int64)
    return _allocate(TOTAL_SITES, density * np.sqrt(area), caps)


def _shrunk(lo: np.ndarray, hi: np.ndarray, margin: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The box narrowed by `margin` on both sides, or its midpoint when it is too narrow."""
    narrow = hi - lo < 2 * margin
    mid = (lo + hi) // 2
    return np.where(narrow, mid, lo + margin), np.where(narrow, mid, hi - margin)


def _place(rng: np.random.Generator, lat_lo, lat_hi, lon_lo, lon_hi) -> tuple[np.ndarray, np.ndarray]:
    """Uniform positions in the given boxes, pairwise at least MIN_SITE_GAP_M apart (earlier sites win)."""
    n = len(lat_lo)
    lat = np.zeros(n, dtype=np.int64)
    lon = np.zeros(n, dtype=np.int64)
    m_lon = M_PER_UDEG_LON_EQ * np.cos(np.radians(np.mean(LAT_RANGE)))
    todo = np.arange(n)
    for _ in range(1000):
        lat[todo] = rng.integers(lat_lo[todo], lat_hi[todo] + 1)
        lon[todo] = rng.integers(lon_lo[todo], lon_hi[todo] + 1)
        dy = (lat[todo, None] - lat[None, :]) * M_PER_UDEG_LAT
        dx = (lon[todo, None] - lon[None, :]) * m_lon
        close = dx * dx + dy * dy < MIN_SITE_GAP_M**2
        close[np.arange(len(todo)), todo] = False
        redrawn = np.zeros(n, dtype=bool)
        redrawn[todo] = True
        blocks = ~redrawn[None, :] | (np.arange(n)[None, :] < todo[:, None])
        todo = todo[(close & blocks).any(axis=1)]
        if len(todo) == 0:
            return lat, lon
    raise RuntimeError("could not place the sites apart; lower SITES_PER_KM2")


def _sites(cfg: SimConfig, geo: Geography) -> pl.DataFrame:
    """One row per clean site: commune, position (micro-degrees), commune box, site id."""
    boxes = _boxes(geo.communes.sort("commune_code"))
    per_commune = _sites_per_commune(boxes)
    crowding = per_commune / (boxes["h_km"] * boxes["w_km"]).to_numpy()
    # the most crowded communes (tiny boxes first) are placed first, so they are never pushed out
    sites = boxes.with_columns(pl.Series("crowding", crowding))[
        np.repeat(np.arange(len(boxes)), per_commune)
    ].sort("crowding", "commune_code", descending=[True, False], maintain_order=True)
    margin_lat = np.full(len(sites), round(JITTER_M * 1.4 / M_PER_UDEG_LAT))
    margin_lon = np.round(JITTER_M * 1.4 / (M_PER_UDEG_LON_EQ * np.cos(np.radians(sites["lat"].to_numpy()))))
    lat_lo, lat_hi = _shrunk(
        sites["lat_lo"].to_numpy(), sites["lat_hi"].to_numpy(), margin_lat.astype(np.int64)
    )
    lon_lo, lon_hi = _shrunk(
        sites["lon_lo"].to_numpy(), sites["lon_hi"].to_numpy(), margin_lon.astype(np.int64)
    )
    lat_u, lon_u = _place(cfg.rng(FEED, "clean-sites"), lat_lo, lat_hi, lon_lo, lon_hi)
    return (
        sites.with_columns(pl.Series("lat_u", lat_u), pl.Series("lon_u", lon_u))
        .sort("district_code", "commune_code", "lat_u", "lon_u")
        .with_columns(pl.int_range(1, pl.len() + 1).over("district_code").alias("seq"))
        .with_columns(
            pl.format("HD{}-{}", "district_code", pl.col("seq").cast(pl.String).str.zfill(4)).alias(
                "site_id"
            ),
            pl.int_range(pl.len()).alias("site_idx"),
            pl.col("district_code").rank("dense").cast(pl.Int64).sub(1).alias("district_idx"),
        )
    )


# --- stations and cells -------------------------------------------------------------------------------------


def _combos() -> pl.DataFrame:
    """Every (operator, radio) pair that may form a station, with its drawing weight (a 2G-only operator puts
    its whole share on GSM)."""
    rows = [
        (net, radio, share * (1.0 if net in GSM_ONLY else RADIO_WEIGHT[radio]))
        for net, (_, share) in OPERATORS.items()
        for radio in RADIOS
        if not (net in GSM_ONLY and radio != "GSM")
    ]
    return pl.DataFrame(rows, schema=["net", "radio", "weight"], orient="row")


def _stations_per_site(rng: np.random.Generator, urban: np.ndarray, most: int) -> np.ndarray:
    """1 + Binomial(4, p) stations per site, nudged to exactly TOTAL_STATIONS."""
    k = 1 + rng.binomial(4, np.where(urban, 0.31, 0.25))
    k = np.minimum(k, most)
    diff = TOTAL_STATIONS - int(k.sum())
    if diff > 0:
        k[rng.choice(np.flatnonzero(k < most), diff, replace=False)] += 1
    elif diff < 0:
        k[rng.choice(np.flatnonzero(k > 1), -diff, replace=False)] -= 1
    return k


def _uniform_days(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return lo + np.floor(rng.random(len(lo)) * (hi - lo)).astype(np.int64)


def _day(iso: str) -> int:
    return int(np.datetime64(iso, "D").astype(np.int64))


def _stations(cfg: SimConfig, sites: pl.DataFrame, as_of: int) -> pl.DataFrame:
    """One row per clean station: site, operator, radio, base-station id parts, cell count, first-seen day."""
    rng = cfg.rng(FEED, "clean-stations")
    combos = _combos()
    k = _stations_per_site(rng, sites["urban"].to_numpy(), most=5)
    keys = np.log(combos["weight"].to_numpy())[None, :] + rng.gumbel(size=(len(sites), len(combos)))
    broadband = (combos["radio"] != "GSM").to_numpy()
    first = np.argmax(np.where(broadband[None, :], keys, -np.inf), axis=1)
    keys[np.arange(len(sites)), first] = np.inf  # every site carries a UMTS or LTE station
    order = np.argsort(-keys, axis=1, kind="stable")
    chosen = np.arange(len(combos))[None, :] < k[:, None]
    site_idx = np.repeat(np.arange(len(sites)), k)
    stations = combos[order[chosen]].drop("weight").with_columns(pl.Series("site_idx", site_idx))
    stations = stations.join(sites.select("site_idx", "district_idx"), on="site_idx").sort(
        "net", "radio", "site_idx"
    )
    n = len(stations)
    as_of_day = (as_of + UTC_OFFSET_S) // DAY_S
    radio = stations["radio"].to_numpy()
    first_day = np.select(
        [radio == "GSM", radio == "UMTS"], [_day("2010-01-01"), _day("2011-06-01")], _day("2016-06-01")
    )
    last_day = np.minimum(
        np.select([radio == "GSM", radio == "UMTS"], [_day("2018-12-31"), _day("2020-12-31")], as_of_day),
        as_of_day - 200,
    )
    return (
        stations.with_columns(
            pl.Series("n_cells", rng.choice([1, 2, 3], size=n, p=[0.06, 0.12, 0.82])),
            pl.Series("created_day", _uniform_days(rng, first_day, last_day)),
            pl.Series("gap", rng.integers(1, 4, n)),
            pl.Series("layer", np.where(rng.random(n) < 0.3, 10, 0)),  # LTE local cell ids 1-3 or 11-13
            pl.Series("pci_group", rng.integers(0, 168, n)),
            *_id_parts(rng, stations),
        )
        .with_columns(
            (pl.col("base") + pl.col("gap").cum_sum().over("net", "radio", "rnc")).alias("bs_local"),
            pl.int_range(pl.len()).alias("station_idx"),
        )
        .drop("gap", "base")
    )


def _id_parts(rng: np.random.Generator, stations: pl.DataFrame) -> list[pl.Series]:
    """Area code (LAC/TAC) per operator, radio and district; RNC for UMTS; numbering base of the local ids."""
    nets = np.array(sorted(OPERATORS))
    net_pos = np.searchsorted(nets, stations["net"].to_numpy())
    radio_pos = stations["radio"].replace_strict({r: i for i, r in enumerate(RADIOS)}).to_numpy()
    district = stations["district_idx"].to_numpy()
    areas = rng.choice(np.arange(1000, 65000), size=(len(nets), len(RADIOS), 12), replace=False)
    rncs = rng.choice(np.arange(1, 4096), size=(len(nets), 4), replace=False)
    base = np.stack(
        [
            rng.integers(100, 2000, len(nets)),
            rng.integers(1, 300, len(nets)),
            rng.integers(100_000, 800_000, len(nets)),
        ],
        axis=1,
    )
    is_umts = radio_pos == 1
    return [
        pl.Series("area", areas[net_pos, radio_pos, district]),
        pl.Series("rnc", np.where(is_umts, rncs[net_pos, district // 3], 0)),
        pl.Series("base", base[net_pos, radio_pos]),
    ]


def _cell_id() -> pl.Expr:
    """GSM: bts*10+sector; UMTS: RNC*65536 + nodeB*10+sector; LTE: eNB*256 + local cell id."""
    return (
        pl.when(pl.col("radio") == "GSM")
        .then(pl.col("bs_local") * 10 + pl.col("lcid"))
        .when(pl.col("radio") == "UMTS")
        .then(pl.col("rnc") * 65536 + pl.col("bs_local") * 10 + pl.col("lcid"))
        .otherwise(pl.col("bs_local") * 256 + pl.col("lcid"))
        .alias("cell")
    )


def _jitter(rng: np.random.Generator, lat_u: np.ndarray, radius_m: float) -> tuple[np.ndarray, np.ndarray]:
    n = len(lat_u)
    r = radius_m * np.sqrt(rng.random(n))
    theta = rng.random(n) * 2 * np.pi
    dlat = np.round(r * np.cos(theta) / M_PER_UDEG_LAT)
    dlon = np.round(r * np.sin(theta) / (M_PER_UDEG_LON_EQ * np.cos(np.radians(lat_u / 1e6))))
    return dlat.astype(np.int64), dlon.astype(np.int64)


def _cells(cfg: SimConfig, stations: pl.DataFrame, sites: pl.DataFrame, as_of: int) -> pl.DataFrame:
    """One row per clean cell, with position as micro-degrees (lat_u, lon_u)."""
    rng = cfg.rng(FEED, "clean-cells")
    cells = (
        stations[np.repeat(np.arange(len(stations)), stations["n_cells"].to_numpy())]
        .with_columns(pl.int_range(1, pl.len() + 1).over("station_idx").alias("sector"))
        .with_columns(
            (pl.col("sector") + pl.when(pl.col("radio") == "LTE").then(pl.col("layer")).otherwise(0)).alias(
                "lcid"
            )
        )
        .join(
            sites.select("site_idx", "lat_u", "lon_u", "lat_lo", "lat_hi", "lon_lo", "lon_hi", "urban"),
            on="site_idx",
        )
        .sort("station_idx", "sector")
    )
    n = len(cells)
    radio = cells["radio"].to_numpy()
    urban = cells["urban"].to_numpy()
    dlat, dlon = _jitter(rng, cells["lat_u"].to_numpy(), JITTER_M)
    default_unit = rng.random(n) < 0.1
    unit = np.select(
        [radio == "GSM", radio == "UMTS"],
        [0, rng.integers(0, 512, n)],
        3 * cells["pci_group"].to_numpy() + cells["sector"].to_numpy() - 1,
    )
    rng_m = np.where(urban, rng.uniform(300, 2500, n), rng.uniform(800, 6000, n)).round(-1)
    signal_lo = np.select([radio == "GSM", radio == "UMTS"], [-105, -110], -115)
    signal = np.where(rng.random(n) < 0.65, 0, rng.integers(signal_lo, signal_lo + 50))
    created = cells["created_day"].to_numpy() * DAY_S - UTC_OFFSET_S + rng.integers(0, 30 * DAY_S, n)
    updated = as_of - rng.integers(1, UPDATED_WITHIN_DAYS * DAY_S, n)
    return cells.with_columns(
        _cell_id(),
        pl.lit(MCC).alias("mcc"),
        pl.Series("unit", np.where(default_unit & (radio != "GSM"), 0, unit)),
        (pl.col("lat_u") + dlat).clip(pl.col("lat_lo"), pl.col("lat_hi")).alias("lat_u"),
        (pl.col("lon_u") + dlon).clip(pl.col("lon_lo"), pl.col("lon_hi")).alias("lon_u"),
        pl.Series("range", np.where(rng.random(n) < 0.15, 1000, rng_m).astype(np.int64)),
        pl.Series("samples", 1 + np.floor(np.exp(rng.normal(2.8, 1.3, n))).astype(np.int64)),
        pl.lit(1).alias("changeable"),
        pl.Series("created", created),
        pl.Series("updated", updated),
        pl.Series("averageSignal", signal),
        ((pl.col("sector") == pl.col("n_cells")) & (pl.col("n_cells") >= 2)).alias("spare"),
    ).select(
        "radio",
        "mcc",
        "net",
        "area",
        "cell",
        "unit",
        "lon_u",
        "lat_u",
        "range",
        "samples",
        "changeable",
        "created",
        "updated",
        "averageSignal",
        "rnc",
        "bs_local",
        "lcid",
        "spare",
    )


# --- register ----------------------------------------------------------------------------------------------


def _register(cfg: SimConfig, sites: pl.DataFrame, stations: pl.DataFrame, as_of: int) -> pl.DataFrame:
    """One row per clean site of the register (internal column names; renamed when written)."""
    rng = cfg.rng(FEED, "clean-register")
    n = len(sites)
    urban = sites["urban"].to_numpy()
    hamlet = np.where(
        urban,
        np.char.add(np.where(rng.random(n) < 0.6, "Tổ dân phố ", "Khu "), rng.integers(1, 16, n).astype(str)),
        hamlet_names(rng, n),
    )
    mast = np.where(
        urban, rng.choice(len(MAST_TYPES), n, p=MAST_P_URBAN), rng.choice(len(MAST_TYPES), n, p=MAST_P_RURAL)
    )
    height = rng.integers(MAST_HEIGHT[mast, 0], MAST_HEIGHT[mast, 1] + 1)
    first_day = stations.group_by("site_idx").agg(pl.col("created_day").min()).sort("site_idx")["created_day"]
    permit_day = first_day.to_numpy() - rng.integers(60, 366, n)
    as_of_day = (as_of + UTC_OFFSET_S) // DAY_S
    inspect_lo = np.maximum(permit_day + 30, as_of_day - INSPECTION_VALID_DAYS + 15)
    inspect_day = _uniform_days(rng, inspect_lo, np.full(n, as_of_day))
    operators = _site_operators(stations)
    return (
        sites.select("site_idx", "site_id", "commune_code", "commune_name", "district_name", "lat_u", "lon_u")
        .with_columns(
            pl.concat_str(
                [pl.Series(hamlet), pl.col("commune_name"), pl.col("district_name"), pl.lit(PROVINCE)],
                separator=", ",
            )
            .str.normalize("NFC")
            .alias("address"),
            pl.Series("mast", MAST_TYPES[mast]),
            pl.Series("height", height),
            pl.Series("permit_date", permit_day.astype("datetime64[D]")),
            pl.Series("inspected", inspect_day.astype("datetime64[D]")),
            pl.Series("agency", np.where(urban, "SXD", "UBND")),
        )
        .with_columns(
            pl.format(
                "{}/GPXD-{}",
                pl.col("permit_date").rank("ordinal").over(pl.col("permit_date").dt.year(), "agency"),
                "agency",
            ).alias("permit_no")
        )
        .join(operators, on="site_idx")
        .drop("agency", "commune_name", "district_name")
        .sort("site_idx")
    )


def _site_operators(stations: pl.DataFrame) -> pl.DataFrame:
    """'Doanh nghiệp dùng chung': the site's operators in a fixed order, joined by '; '."""
    order = {net: i for i, net in enumerate(OPERATORS)}
    return (
        stations.select("site_idx", "net")
        .unique()
        .with_columns(
            pl.col("net").replace_strict(order).alias("order"),
            pl.col("net").replace_strict({net: name for net, (name, _) in OPERATORS.items()}).alias("name"),
        )
        .sort("site_idx", "order")
        .group_by("site_idx", maintain_order=True)
        .agg(pl.col("name").str.join("; ").alias("operators"))
    )


# --- defects -----------------------------------------------------------------------------------------------


def _patch(frame: pl.DataFrame, pos: np.ndarray, **columns) -> pl.DataFrame:
    """Replace the given columns at row positions `pos` (None blanks a field); row order is kept."""
    return frame.with_columns(
        frame[name].clone().scatter(pos, pl.Series(name, values).cast(frame.schema[name]))
        for name, values in columns.items()
    )


def _keys(frame: pl.DataFrame, pos: np.ndarray) -> pl.Series:
    return frame[pos].select(cell_key())["key"]


def _cell_defects(cfg: SimConfig, cells: pl.DataFrame, truth: DefectLog, as_of: int) -> pl.DataFrame:
    """Six cell-level classes; base = clean cells. In-place classes touch one spare cell of a station that has
    at least two cells, so every station keeps a valid cell; the other classes add rows."""
    rng = cfg.rng(FEED, "defects-cells")
    n = len(cells)
    k = defect_count(cfg.defect_rate, n)
    spare = cells["spare"].to_numpy()
    in_place = pick_disjoint(rng, n, [k, k, k], taken=~spare)
    used = np.zeros(n, dtype=bool)
    used[np.concatenate(in_place)] = True
    sources = pick_disjoint(rng, n, [k, k, k], taken=used)
    cells = _coordinates_outside(rng, cells, in_place[0], truth)
    cells = _invalid_network(rng, cells, in_place[1], truth)
    cells = _missing_fields(rng, cells, in_place[2], truth)
    added = [
        _duplicates(rng, cells, sources[0], truth),
        _stale(rng, cells, sources[1], truth, as_of),
        _nr_cells(rng, cells, sources[2], truth, as_of),
    ]
    return pl.concat([cells, *added], how="vertical_relaxed")


def _coordinates_outside(
    rng: np.random.Generator, cells: pl.DataFrame, pos: np.ndarray, truth: DefectLog
) -> pl.DataFrame:
    kind = rng.integers(0, 3, len(pos))
    lat = cells["lat_u"].to_numpy()[pos]
    lon = cells["lon_u"].to_numpy()[pos]
    shift = rng.choice([-1, 1], len(pos)) * rng.integers(1_000_000, 5_000_000, len(pos))
    new_lat = np.select([kind == 0, kind == 1], [lon, 0], lat + shift)
    new_lon = np.select([kind == 0, kind == 1], [lat, 0], lon)
    detail = np.select(
        [kind == 0, kind == 1],
        ["lat/lon swapped", "position 0,0"],
        np.char.add("latitude moved by ", np.char.add((shift / 1e6).round(3).astype(str), " degrees")),
    )
    truth.add(FEED, _keys(cells, pos), "coordinates_outside_province", "đúng", detail)
    return _patch(cells, pos, lat_u=new_lat, lon_u=new_lon)


def _invalid_network(
    rng: np.random.Generator, cells: pl.DataFrame, pos: np.ndarray, truth: DefectLog
) -> pl.DataFrame:
    kind = rng.integers(0, 3, len(pos))
    mcc = np.where(kind == 0, 450, MCC)
    net = np.select([kind == 1, kind == 2], [3, 99], cells["net"].to_numpy()[pos])
    was = _keys(cells, pos)
    cells = _patch(cells, pos, mcc=mcc, net=net)
    detail = (
        pl.Series(np.where(kind == 0, "mcc 450", np.char.add("net ", net.astype(str)))) + " (was " + was + ")"
    )
    truth.add(FEED, _keys(cells, pos), "invalid_network_code", "đúng", detail)
    return cells


def _missing_fields(
    rng: np.random.Generator, cells: pl.DataFrame, pos: np.ndarray, truth: DefectLog
) -> pl.DataFrame:
    no_area = rng.random(len(pos)) < 0.5
    was = _keys(cells, pos)
    cells = _patch(
        cells,
        pos,
        area=pl.Series(cells["area"].to_numpy()[pos]).scatter(np.flatnonzero(no_area), None),
        range=pl.Series(cells["range"].to_numpy()[pos]).scatter(np.flatnonzero(~no_area), None),
    )
    detail = pl.Series(np.where(no_area, "area empty", "range empty")) + " (was " + was + ")"
    truth.add(FEED, _keys(cells, pos), "missing_cell_fields", "đủ", detail)
    return cells


def _duplicates(
    rng: np.random.Generator, cells: pl.DataFrame, pos: np.ndarray, truth: DefectLog
) -> pl.DataFrame:
    exact = rng.random(len(pos)) < 0.5
    samples = cells["samples"].to_numpy()[pos]
    new_samples = np.where(exact, samples, samples + rng.integers(1, 60, len(pos)))
    detail = pl.DataFrame({"exact": exact, "old": samples, "new": new_samples}).select(
        pl.when("exact").then(pl.lit("exact copy")).otherwise(pl.format("samples {} -> {}", "old", "new"))
    )
    truth.add(FEED, _keys(cells, pos), "duplicate_cell", "sạch", detail.to_series())
    return cells[pos].with_columns(pl.Series("samples", new_samples))


def _stale(
    rng: np.random.Generator, cells: pl.DataFrame, pos: np.ndarray, truth: DefectLog, as_of: int
) -> pl.DataFrame:
    """Decommissioned cells: a base-station id of their own (above the operator's highest), last updated >= 3
    years before the as-of date."""
    n = len(pos)
    top = cells.group_by("net", "radio", "rnc").agg(pl.col("bs_local").max().alias("top"))
    updated = as_of - rng.integers((STALE_MIN_DAYS + 1) * DAY_S, 6 * 365 * DAY_S, n)
    created = updated - rng.integers(365 * DAY_S, 4 * 365 * DAY_S, n)
    dlat, dlon = _jitter(rng, cells["lat_u"].to_numpy()[pos], JITTER_M / 2)
    stale = (
        cells[pos]
        .with_row_index("_i")
        .join(top, on=["net", "radio", "rnc"])
        .sort("_i")
        .with_columns(
            (pl.col("top") + pl.int_range(1, pl.len() + 1).over("net", "radio", "rnc")).alias("bs_local"),
            pl.lit(1).alias("lcid"),
        )
        .with_columns(
            _cell_id(),
            (pl.col("lat_u") + pl.Series(dlat)).alias("lat_u"),
            (pl.col("lon_u") + pl.Series(dlon)).alias("lon_u"),
            pl.Series("created", created),
            pl.Series("updated", updated),
            pl.Series("samples", rng.integers(1, 8, n)),
        )
        .drop("_i", "top")
    )
    detail = "last updated " + pl.Series(updated).cast(pl.Datetime("ms")).dt.strftime("%Y-%m-%d")
    truth.add(FEED, stale.select(cell_key())["key"], "stale_cell", "sống", detail)
    return stale


def _nr_cells(
    rng: np.random.Generator, cells: pl.DataFrame, pos: np.ndarray, truth: DefectLog, as_of: int
) -> pl.DataFrame:
    """5G NR cells dated before commercial 5G service (2024): 36-bit NCI = gNB (24 bits) * 4096 + cell id."""
    n = len(pos)
    gnb = rng.choice(1 << 24, n, replace=False)
    updated = np.minimum(as_of - rng.integers(30 * DAY_S, 700 * DAY_S, n), as_of_unix(date(2023, 12, 31)) - 1)
    nr = cells[pos].with_columns(
        pl.lit("NR").alias("radio"),
        pl.when(pl.col("net").is_in([5, 7])).then(4).otherwise(pl.col("net")).alias("net"),
        pl.Series("cell", gnb * 4096 + rng.integers(1, 4, n)),
        pl.Series("unit", rng.integers(0, 1008, n)),
        pl.Series("created", updated - rng.integers(DAY_S, 60 * DAY_S, n)),
        pl.Series("updated", updated),
        pl.Series("samples", rng.integers(1, 20, n)),
        pl.lit(0).alias("averageSignal"),
    )
    detail = "NR cell updated " + pl.Series(updated).cast(pl.Datetime("ms")).dt.strftime("%Y-%m-%d")
    truth.add(FEED, nr.select(cell_key())["key"], "radio_not_in_service", "đúng", detail)
    return nr


def _register_defects(cfg: SimConfig, register: pl.DataFrame, truth: DefectLog, as_of: int) -> pl.DataFrame:
    """Three register classes; base = clean sites. Only sites permitted over five years before the end may carry
    an expired inspection, so the inspection can really be that old."""
    rng = cfg.rng(FEED, "defects-sites")
    n = len(register)
    k = defect_count(cfg.defect_rate, n)
    as_of_day = (as_of + UTC_OFFSET_S) // DAY_S
    old = register["permit_date"].cast(pl.Int64).to_numpy() < as_of_day - 5 * 365 - 60
    expired = pick_disjoint(rng, n, [k], taken=~old)[0]
    taken = np.zeros(n, dtype=bool)
    taken[expired] = True
    no_permit, dup = pick_disjoint(rng, n, [k, k], taken=taken)
    ids = register["site_id"]

    inspected = as_of_day - rng.integers(INSPECTION_VALID_DAYS + 15, 5 * 365, k)
    truth.add(
        FEED,
        ids[expired],
        "inspection_expired",
        "sống",
        "inspected " + pl.Series(inspected.astype("datetime64[D]")).dt.strftime("%Y-%m-%d"),
    )
    register = _patch(register, expired, inspected=inspected.astype("datetime64[D]"))

    truth.add(FEED, ids[no_permit], "site_missing_permit", "đủ", "permit number and date empty")
    register = _patch(register, no_permit, permit_no=[None] * k, permit_date=[None] * k)

    return pl.concat([register, _duplicate_sites(rng, register, dup, truth)], how="vertical")


def _variant(address: pl.Expr, nfd: pl.Expr) -> pl.Expr:
    abbreviated = address
    for long, short in ABBREVIATIONS:
        abbreviated = abbreviated.str.replace_all(long, short, literal=True)
    return pl.when(nfd).then(address.str.normalize("NFD")).otherwise(abbreviated)


def _duplicate_sites(
    rng: np.random.Generator, register: pl.DataFrame, pos: np.ndarray, truth: DefectLog
) -> pl.DataFrame:
    """The site entered twice: a new id (next number in its district), the address spelt differently."""
    nfd = rng.random(len(pos)) < 0.5
    top = (
        register.select(
            pl.col("site_id").str.slice(0, 5).alias("district"),
            pl.col("site_id").str.slice(6).cast(pl.Int64).alias("seq"),
        )
        .group_by("district")
        .agg(pl.col("seq").max().alias("top"))
    )
    dup = (
        register[pos]
        .with_columns(
            pl.Series("nfd", nfd),
            pl.col("site_id").alias("original"),
            pl.col("site_id").str.slice(0, 5).alias("district"),
        )
        .with_row_index("_i")
        .join(top, on="district")
        .sort("_i")
        .with_columns(
            pl.format(
                "{}-{}",
                "district",
                (pl.col("top") + pl.int_range(1, pl.len() + 1).over("district")).cast(pl.String).str.zfill(4),
            ).alias("site_id"),
            _variant(pl.col("address"), pl.col("nfd")).alias("address"),
        )
    )
    kind = pl.when("nfd").then(pl.lit("NFD")).otherwise(pl.lit("abbreviated"))
    detail = dup.select(pl.format("duplicate of {} ({})", "original", kind)).to_series()
    truth.add(FEED, dup["site_id"], "site_duplicate_address", "sạch", detail)
    return dup.drop("_i", "nfd", "original", "district", "top")


# --- writing -----------------------------------------------------------------------------------------------


def _decimal6(col: str) -> pl.Expr:
    """Micro-degrees as a decimal with exactly six places."""
    v = pl.col(col)
    sign = pl.when(v < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.concat_str(
        [
            sign,
            (v.abs() // 1_000_000).cast(pl.String),
            pl.lit("."),
            (v.abs() % 1_000_000).cast(pl.String).str.zfill(6),
        ]
    )


def _write_cells(cfg: SimConfig, cells: pl.DataFrame):
    path = cfg.feed_dir(FEED) / CELLS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    (
        cells.sort(
            ["radio", "mcc", "net", "area", "cell", "updated", "samples", "lat_u", "lon_u", "range"],
            nulls_last=True,
        )
        .with_columns(_decimal6("lon_u").alias("lon"), _decimal6("lat_u").alias("lat"))
        .select(CELL_COLUMNS)
        .write_csv(path, include_header=False)
    )
    return path


def _write_register(cfg: SimConfig, register: pl.DataFrame):
    path = cfg.feed_dir(FEED) / SITES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    (
        register.sort("site_id")
        .select(
            pl.col("site_id").alias("Mã vị trí"),
            pl.col("address").alias("Địa chỉ"),
            pl.col("commune_code").alias("Mã xã"),
            _decimal6("lon_u").alias("Kinh độ"),
            _decimal6("lat_u").alias("Vĩ độ"),
            pl.col("mast").alias("Loại cột"),
            pl.col("height").alias("Chiều cao cột (m)"),
            pl.col("permit_no").alias("Số giấy phép xây dựng"),
            pl.col("permit_date").dt.strftime("%d/%m/%Y").alias("Ngày cấp phép"),
            pl.col("inspected").dt.strftime("%d/%m/%Y").alias("Ngày kiểm định"),
            pl.col("operators").alias("Doanh nghiệp dùng chung"),
        )
        .write_csv(path, include_bom=True)
    )
    return path
