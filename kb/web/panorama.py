"""``/panorama``: the published practices as bar charts and a map of France.

Everything is drawn on the server, sized with SVG attributes only (the CSP
forbids inline styles). A bar chart is an HTML table whose cells hold the
label, the number and a decorative SVG bar, so its text reflows and reads
aloud like any table. The map is one SVG with a link per city, followed by the
cities it could not place. It needs no tiles: commune centres and the outline
of France are bundled in ``kb/data``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from flask import Blueprint, render_template

from kb.services import reuse
from kb.services.reuse import Count
from kb.web import db_session

bp = Blueprint("panorama", __name__)

CHART_MAX_BARS = 15  # more values go to a second table, folded
YEAR_GAP_MAX = 60  # fill missing years only over a readable span
# Map projection: equirectangular, x shrunk by cos(46.5°), the latitude of the middle of France.
LON_MIN, LAT_MAX, SCALE = -5.3, 51.2, 60.0
X_FACTOR = math.cos(math.radians(46.5))
MAP_WIDTH, MAP_HEIGHT = 630, 605
DOT_MIN, DOT_MAX = 4.0, 18.0


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    href: str | None  # no link for a value without practices (a year gap)
    length: float  # percent of the longest bar


@dataclass(frozen=True)
class Chart:
    key: str  # theme, landlord, city or year
    bars: list[Bar]  # drawn
    more: list[Bar]  # listed apart, folded


@dataclass(frozen=True)
class Dot:
    label: str
    slug: str
    count: int
    x: float
    y: float
    r: float


def bar_chart(key: str, counts: Sequence[Count], href: dict[str, str]) -> Chart:
    """Bars as a percentage of the largest count; at most CHART_MAX_BARS drawn."""
    top = max((c.count for c in counts), default=1) or 1
    bars = [Bar(c.label, c.count, href[c.slug] if c.count else None,
                round(max(c.count / top * 100, 0.5) if c.count else 0, 1)) for c in counts]
    if key == "year":  # a time series is drawn whole
        return Chart(key, bars, [])
    return Chart(key, bars[:CHART_MAX_BARS], bars[CHART_MAX_BARS:])


def fill_years(counts: Sequence[Count]) -> list[Count]:
    """Years in order, missing ones at zero, so gaps in time show as gaps."""
    known = {int(c.slug): c for c in counts if c.slug.isdigit()}
    if not known or max(known) - min(known) > YEAR_GAP_MAX:
        return sorted(counts, key=lambda c: c.slug)
    return [known.get(y, Count(str(y), str(y), 0)) for y in range(min(known), max(known) + 1)]


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """Map coordinates (SVG user units) of a point of metropolitan France."""
    return (round((longitude - LON_MIN) * X_FACTOR * SCALE, 1),
            round((LAT_MAX - latitude) * SCALE, 1))


def outline_paths() -> list[str]:
    """SVG ``points`` of each polygon of the outline of France."""
    return [" ".join(f"{x},{y}" for x, y in (project(lat, lon) for lat, lon in polygon))
            for polygon in reuse.france_outline()]


def place_cities(counts: Sequence[Count]) -> tuple[list[Dot], list[Count]]:
    """Dots for the cities of the bundled table (largest drawn first); the others apart."""
    table = reuse.communes()
    top = max((c.count for c in counts), default=1) or 1
    dots, unplaced = [], []
    for c in counts:
        commune = table.get(c.slug)
        if commune is None:
            unplaced.append(c)
            continue
        x, y = project(commune.latitude, commune.longitude)
        r = round(DOT_MIN + (DOT_MAX - DOT_MIN) * math.sqrt(c.count / top), 1)
        dots.append(Dot(c.label, c.slug, c.count, x, y, r))
    dots.sort(key=lambda d: (-d.r, d.slug))
    return dots, sorted(unplaced, key=lambda c: c.label)


@bp.get("/panorama")
def index() -> str:
    """The panorama page: map of cities, then bars by theme, landlord, city and year."""
    session = db_session()
    counts = {facet: reuse.counts_by(session, facet) for facet in ("theme", "landlord", "city", "year")}
    counts["year"] = fill_years(counts["year"])
    links = {facet: {c.slug: reuse.PATHS[facet].format(slug=c.slug) for c in values}
             for facet, values in counts.items() if facet != "year"}
    links["year"] = {c.slug: f"/recherche?year={c.slug}" for c in counts["year"]}
    charts = [bar_chart(facet, counts[facet], links[facet]) for facet in counts]
    dots, unplaced = place_cities(counts["city"])
    total = reuse.count_published(session)
    return render_template(
        "panorama/index.html", section="panorama", total=total, charts=charts, dots=dots,
        unplaced=unplaced, outline=outline_paths(), map_size=(MAP_WIDTH, MAP_HEIGHT),
    )
