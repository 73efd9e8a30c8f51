"""Charts as inline SVG strings: no script, no font or image to fetch, readable at any width (viewBox).

Coordinates are rounded to one decimal so that the page carries no long digit runs of its own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

# score bands (0-100) and their colours; the same bands colour the grid, the map and the heat tables
BANDS = (
    (99.5, "#1a7f37", "≥ 99,5"),
    (98.0, "#7cb342", "98–99,5"),
    (95.0, "#f2b705", "95–98"),
    (90.0, "#e8710a", "90–95"),
    (-1.0, "#c62828", "< 90"),
)
NO_DATA = "#c9ced6"


def score_colour(score: float | None) -> str:
    if score is None:
        return NO_DATA
    return next(colour for limit, colour, _ in BANDS if score >= limit)


# the Decision 766 score (0-100) is a performance, not a share of good records: its own bands
BANDS_766 = ((80.0, "#1a7f37"), (65.0, "#7cb342"), (50.0, "#f2b705"), (-1.0, "#c62828"))


def score766_colour(score: float | None) -> str:
    if score is None:
        return NO_DATA
    return next(colour for limit, colour in BANDS_766 if score >= limit)


def rate_colour(rate: float | None, worst: float) -> str:
    """A failure share (0-1) on a light-to-dark red ramp relative to `worst` (the largest share shown)."""
    if rate is None:
        return NO_DATA
    if rate <= 0:
        return "#e8f5e9"
    t = min(1.0, rate / worst) if worst > 0 else 1.0
    start, end = (255, 224, 178), (183, 28, 28)
    r, g, b = (round(s + (e - s) * t) for s, e in zip(start, end, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def _n(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def sparkline(
    values: Sequence[float | None],
    width: int = 96,
    height: int = 26,
    lo: float | None = None,
    hi: float | None = None,
    label: str = "",
    colour: str = "#334e68",
) -> str:
    """A line over the values (None leaves a gap), the last point marked; `lo`/`hi` fix the vertical range."""
    known = [v for v in values if v is not None]
    if not known:
        return f'<svg class="spark" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}"></svg>'
    lo = min(known) if lo is None else min(lo, min(known))
    hi = max(known) if hi is None else max(hi, max(known))
    span = (hi - lo) or 1.0
    step = (width - 6) / max(1, len(values) - 1)
    pts = [
        (3 + i * step, height - 3 - (v - lo) / span * (height - 6)) if v is not None else None
        for i, v in enumerate(values)
    ]
    segments, current = [], []
    for p in pts:
        if p is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(p)
    if current:
        segments.append(current)
    lines = "".join(
        f'<polyline points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in seg)}" fill="none" stroke="{colour}" '
        'stroke-width="1.6" stroke-linejoin="round" stroke-linecap="round"/>'
        if len(seg) > 1
        else f'<circle cx="{_n(seg[0][0])}" cy="{_n(seg[0][1])}" r="1.5" fill="{colour}"/>'
        for seg in segments
    )
    last = next((p for p in reversed(pts) if p is not None), None)
    dot = f'<circle cx="{_n(last[0])}" cy="{_n(last[1])}" r="2.6" fill="{colour}"/>' if last else ""
    return (
        f'<svg class="spark" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>{lines}{dot}</svg>"
    )


def bar(
    value: float | None,
    top: float,
    width: int = 120,
    height: int = 12,
    colour: str = "#334e68",
    mark: float | None = None,
    label: str = "",
) -> str:
    """A horizontal bar of value/top; `mark` draws a tick (e.g. the target)."""
    if value is None or top <= 0:
        fill = ""
    else:
        w = max(0.0, min(1.0, value / top)) * width
        fill = f'<rect x="0" y="1" width="{_n(w)}" height="{height - 2}" rx="2" fill="{colour}"/>'
    tick = ""
    if mark is not None and top > 0:
        x = max(0.0, min(1.0, mark / top)) * width
        tick = f'<line x1="{_n(x)}" x2="{_n(x)}" y1="0" y2="{height}" stroke="#111" stroke-width="1.5"/>'
    return (
        f'<svg class="bar" viewBox="0 0 {width} {height}" preserveAspectRatio="none" role="img" '
        f'aria-label="{escape(label)}">'
        f'<rect x="0" y="1" width="{width}" height="{height - 2}" rx="2" fill="#e4e7eb"/>{fill}{tick}</svg>'
    )


LEVELS = 5  # colour steps of a failure share, relative to the worst commune of the feed


def share_level(share: float | None, worst: float) -> str:
    """The colour class of a share: `n` no records, `0` none failing, `1`..`LEVELS` up to the worst."""
    if share is None:
        return "n"
    if share <= 0 or worst <= 0:
        return "0"
    return str(max(1, min(LEVELS, math.ceil(LEVELS * share / worst))))


def level_colour(level: str, worst: float) -> str:
    if level == "n":
        return NO_DATA
    if level == "0":
        return rate_colour(0.0, worst)
    return rate_colour(worst * int(level) / LEVELS, worst)


def commune_map(
    communes: Sequence[dict],
    layers: Sequence[tuple[str, dict[str, float | None], float]],
    tips: dict[str, str],
    label: str,
    width: int = 360,
) -> str:
    """Every commune as a disc at its centroid, sized by its extent; one colour class per layer (feed).

    `communes` rows carry commune_code, lat, lon and the bounding box (lat_min .. lon_max) of the reference
    data; `layers` are (name, share per commune code, worst share); a disc carries the class `<name>-<level>` of
    each layer, so the page's stylesheet shows one layer at a time (see `layer_css`) with a single set of discs.
    """
    located = [c for c in communes if c["lat"] is not None and c["lon"] is not None]
    if not located:
        return ""
    lat0 = sum(c["lat"] for c in located) / len(located)
    kx = math.cos(math.radians(lat0))
    xs = [c["lon"] * kx for c in located]
    ys = [-c["lat"] for c in located]
    pad = 10
    x_min, x_max, y_min, y_max = min(xs), max(xs), min(ys), max(ys)
    scale = (width - 2 * pad) / ((x_max - x_min) or 1)
    height = round((y_max - y_min) * scale + 2 * pad)
    discs = []
    for c, x, y in zip(located, xs, ys, strict=True):
        extent = min(
            (c.get("lat_max") or c["lat"]) - (c.get("lat_min") or c["lat"]),
            ((c.get("lon_max") or c["lon"]) - (c.get("lon_min") or c["lon"])) * kx,
        )
        r = max(2.5, min(9.0, extent * scale * 0.42))
        code = c["commune_code"]
        classes = " ".join(f"{name}-{share_level(shares.get(code), worst)}" for name, shares, worst in layers)
        discs.append(
            f'<circle cx="{_n(pad + (x - x_min) * scale)}" cy="{_n(pad + (y - y_min) * scale)}" r="{_n(r)}" '
            f'class="{classes}"><title>{escape(tips.get(code, ""))}</title></circle>'
        )
    return (
        f'<svg class="map" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>{''.join(discs)}</svg>"
    )


def layer_css(layers: Sequence[tuple[str, dict[str, float | None], float]], selector: str) -> str:
    """The fills of each layer's classes, active when `selector.format(name)` matches (e.g. its tab is checked)."""
    rules = []
    for name, _shares, worst in layers:
        for level in ("n", "0", *map(str, range(1, LEVELS + 1))):
            rules.append(f"{selector.format(name)} .{name}-{level} {{ fill: {level_colour(level, worst)}; }}")
    return "\n".join(rules)


def month_chart(
    months: Sequence[str],
    series: Sequence[float | None],
    width: int = 560,
    height: int = 150,
    label: str = "",
    target: float | None = None,
) -> str:
    """Columns per month (a score 0-100), the month label under each, the value above the last one."""
    n = len(series)
    if not n:
        return ""
    left, bottom, top = 28, 20, 14
    plot_h = height - bottom - top
    step = (width - left) / n
    parts = []
    for frac in (0, 50, 100):
        y = top + plot_h * (1 - frac / 100)
        parts.append(
            f'<line x1="{left}" x2="{width}" y1="{_n(y)}" y2="{_n(y)}" stroke="#d9dde3" stroke-width="0.8"/>'
            f'<text x="{left - 4}" y="{_n(y + 3)}" text-anchor="end" class="ax">{frac}</text>'
        )
    for i, (m, v) in enumerate(zip(months, series, strict=True)):
        x = left + i * step + step * 0.15
        w = step * 0.7
        if v is not None:
            h = plot_h * max(0.0, min(100.0, v)) / 100
            colour = "#334e68" if i == n - 1 else "#9fb3c8"
            parts.append(
                f'<rect x="{_n(x)}" y="{_n(top + plot_h - h)}" width="{_n(w)}" height="{_n(h)}" fill="{colour}">'
                f"<title>{escape(m)}: {_n(v)}</title></rect>"
            )
            if i == n - 1:
                parts.append(
                    f'<text x="{_n(x + w / 2)}" y="{_n(top + plot_h - h - 3)}" text-anchor="middle" '
                    f'class="val">{_n(v).replace(".", ",")}</text>'
                )
        parts.append(
            f'<text x="{_n(x + w / 2)}" y="{height - 6}" text-anchor="middle" class="ax">{escape(m)}</text>'
        )
    return (
        f'<svg class="months" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>{''.join(parts)}</svg>"
    )
