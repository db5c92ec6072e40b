"""``/panorama``: the published practices as a map of France and bar charts.

Everything is drawn on the server, sized with SVG attributes only (the CSP
forbids inline styles). The map shows the departments (official outlines,
``kb/services/geography.py``), mainland France with Corsica, then the five
overseas departments as insets. Each city is a circle whose area is
proportional to its number of practices, numbered; the numbered legend under
the map names every city, so touch screens and screen readers get them all.
A city the tables do not know is listed under the map, never dropped.

A bar chart is an HTML table whose cells hold the label, the number and a
decorative SVG bar. Counts come from the search index (published practices
only) and each label links to the search filtered on it; each chart says how
many practices lack that information. Years without practices are not listed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlencode

from flask import Blueprint, render_template

from kb.search import FacetCount
from kb.services import browse, geography
from kb.services.search import search_practices
from kb.web import db_session, runtime

bp = Blueprint("panorama", __name__)

CHART_FACETS = ("theme", "landlord", "partner", "city", "audience", "year")
CHART_MAX_BARS = 15  # more values go to a second table, folded
# Mainland projection: equirectangular, x shrunk by cos(46.5°), the latitude of the middle of France.
LON_MIN, LAT_MAX, SCALE = -5.3, 51.2, 60.0
X_FACTOR = math.cos(math.radians(46.5))
MAP_WIDTH, MAINLAND_HEIGHT = 630, 600
INSET_TOP, INSET_SIZE, INSET_GAP, INSET_LABEL = MAINLAND_HEIGHT + 10, 118, 10, 16
MAP_HEIGHT = INSET_TOP + INSET_LABEL + INSET_SIZE + 4
DOT_MAX = 22.0  # radius of the largest circle
DOT_MIN = 3.0  # below this a circle could not be seen; only reached by counts under 2 % of the largest


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    href: str
    length: float  # percent of the longest bar


@dataclass(frozen=True)
class Chart:
    key: str
    bars: list[Bar]  # drawn
    more: list[Bar]  # listed apart, folded
    missing: int  # published practices without this information


@dataclass(frozen=True)
class Frame:
    """Where one territory is drawn: a linear projection of longitude and latitude."""

    x0: float
    y0: float
    lon0: float
    lat0: float
    kx: float
    ky: float

    def project(self, latitude: float, longitude: float) -> tuple[float, float]:
        return (round(self.x0 + (longitude - self.lon0) * self.kx, 1),
                round(self.y0 + (self.lat0 - latitude) * self.ky, 1))


MAINLAND = Frame(0, 0, LON_MIN, LAT_MAX, X_FACTOR * SCALE, SCALE)


@dataclass(frozen=True)
class Inset:
    code: str
    name: str
    x: float
    y: float
    size: float
    frame: Frame


@dataclass(frozen=True)
class Dot:
    number: int
    label: str
    slug: str
    count: int
    x: float
    y: float
    r: float


def search_href(facet: str, slug: str) -> str:
    return "/recherche?" + urlencode({facet: slug})


def bar_chart(key: str, counts: Sequence[FacetCount], missing: int) -> Chart:
    """Bars as a percentage of the largest count; at most CHART_MAX_BARS drawn (years: all)."""
    top = max((c.count for c in counts), default=1) or 1
    bars = [Bar(c.label, c.count, search_href(key, c.value), round(max(c.count / top * 100, 0.5), 1))
            for c in counts if c.count]
    if key == "year":
        bars.sort(key=lambda b: b.label)
        return Chart(key, bars, [], missing)
    return Chart(key, bars[:CHART_MAX_BARS], bars[CHART_MAX_BARS:], missing)


def _inset_frame(rings, x: float, y: float, size: float) -> Frame:
    lons = [p[0] for ring in rings for p in ring]
    lats = [p[1] for ring in rings for p in ring]
    factor = math.cos(math.radians((min(lats) + max(lats)) / 2))
    width, height = (max(lons) - min(lons)) * factor, max(lats) - min(lats)
    k = (size - 8) / max(width, height)
    # Centred in its square box.
    x0 = x + (size - width * k) / 2
    y0 = y + (size - height * k) / 2
    return Frame(x0, y0, min(lons), max(lats), k * factor, k)


@cache
def insets() -> tuple[Inset, ...]:
    overseas = [d for d in geography.departments() if d.overseas]
    out = []
    for n, dep in enumerate(sorted(overseas, key=lambda d: d.code)):
        x = n * (INSET_SIZE + INSET_GAP)
        y = INSET_TOP + INSET_LABEL
        out.append(Inset(dep.code, dep.name, x, y, INSET_SIZE, _inset_frame(dep.rings, x, y, INSET_SIZE)))
    return tuple(out)


def frame_of(department: str) -> Frame | None:
    if department not in geography.OVERSEAS:
        return MAINLAND
    return next((i.frame for i in insets() if i.code == department), None)


@cache
def department_paths() -> tuple[tuple[str, str], ...]:
    """(code, SVG path data) of every department, drawn in its frame."""
    paths = []
    for dep in geography.departments():
        frame = frame_of(dep.code)
        if frame is None:
            continue
        parts = []
        for ring in dep.rings:
            points = [frame.project(lat, lon) for lon, lat in ring]
            parts.append("M" + " ".join(f"{x:g},{y:g}" for x, y in points) + "Z")
        paths.append((dep.code, "".join(parts)))
    return tuple(paths)


def place_cities(counts: Sequence[FacetCount]) -> tuple[list[Dot], list[FacetCount]]:
    """Numbered circles for the cities the tables know (most practices first); the others apart."""
    top = max((c.count for c in counts), default=1) or 1
    dots, unplaced = [], []
    for c in sorted(counts, key=lambda c: (-c.count, c.label)):
        commune = geography.locate(c.label, c.value)
        frame = frame_of(commune.department) if commune else None
        if commune is None or frame is None:
            unplaced.append(c)
            continue
        x, y = frame.project(commune.latitude, commune.longitude)
        r = round(max(DOT_MAX * math.sqrt(c.count / top), DOT_MIN), 1)
        dots.append(Dot(len(dots) + 1, c.label, c.value, c.count, x, y, r))
    return dots, sorted(unplaced, key=lambda c: c.label)


# -- where each circle's number is written --------------------------------------------

DIGIT_WIDTH, NUMBER_HEIGHT = 6.4, 10.0  # a digit of the 10-unit bold sans numbers, with its halo
INSIDE_MIN_R = 8.0  # a circle this large holds its number in white
_ANGLES = tuple(math.radians(a) for a in (0, 315, 45, 270, 90, 180, 225, 135,
                                          337.5, 22.5, 292.5, 67.5, 247.5, 112.5, 202.5, 157.5))
_GAPS = (1.5, 6.0, 12.0, 20.0, 30.0, 42.0, 56.0, 72.0)
LEADER_FROM = 8.0  # a number set further than this from its circle gets a line to it

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class NumberLabel:
    """A circle's number: the middle of its text box, inside the circle or beside it, and
    the line that ties a number set apart back to its circle."""

    x: float  # text-anchor middle
    y: float  # baseline
    inside: bool
    leader: tuple[float, float, float, float] | None = None


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _touches_disc(box: Box, x: float, y: float, r: float) -> bool:
    nearest_x, nearest_y = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    return (nearest_x - x) ** 2 + (nearest_y - y) ** 2 < r * r


def number_box(label: NumberLabel, number: int) -> Box:
    """The box a number's text covers, halo included (what must not overlap)."""
    half = DIGIT_WIDTH * len(str(number)) / 2
    return (label.x - half, label.y - 8.0, label.x + half, label.y + 2.0)


def _candidates(dot: Dot) -> list[NumberLabel]:
    """Where ``dot``'s number may go, best first: inside a large circle, then around it
    in 16 directions, further and further (with a line back to the circle past
    ``LEADER_FROM``)."""
    half = DIGIT_WIDTH * len(str(dot.number)) / 2
    candidates: list[NumberLabel] = []
    if dot.r >= INSIDE_MIN_R:
        candidates.append(NumberLabel(dot.x, round(dot.y + 3.5, 1), True))
    for gap in _GAPS:
        for angle in _ANGLES:
            # the box's middle, pushed out until the box clears the circle by ``gap``
            dx, dy = math.cos(angle), -math.sin(angle)
            reach = dot.r + gap + abs(dx) * half + abs(dy) * NUMBER_HEIGHT / 2
            cx, cy = dot.x + dx * reach, dot.y + dy * reach
            leader = None
            if gap > LEADER_FROM:
                x1, y1 = dot.x + dx * dot.r, dot.y + dy * dot.r
                x2, y2 = cx - dx * (half + 1), cy - dy * (NUMBER_HEIGHT / 2 + 1)
                leader = (round(x1, 1), round(y1, 1), round(x2, 1), round(y2, 1))
            candidates.append(NumberLabel(round(cx, 1), round(cy + 3.0, 1), False, leader))
    return candidates


def _is_free(box: Box, label: NumberLabel, dot: Dot, dots: Sequence[Dot], placed: Sequence[Box],
             size: tuple[float, float]) -> bool:
    """Within the map, over no number already placed and no other circle (nor its own
    circle, unless written inside it)."""
    return (box[0] >= 0 and box[1] >= 0 and box[2] <= size[0] and box[3] <= size[1]
            and not any(_overlaps(box, b) for b in placed)
            and not any(_touches_disc(box, d.x, d.y, d.r) for d in dots if d is not dot)
            and (label.inside or not _touches_disc(box, dot.x, dot.y, dot.r)))


def place_numbers(dots: Sequence[Dot], width: float, height: float) -> dict[int, NumberLabel]:
    """A place for each circle's number where it overlaps no other number and no other
    circle, largest circles first (as they are numbered). A number with no free spot
    within reach goes to its last candidate; the numbered list under the map names
    every city anyway."""
    placed: list[Box] = []
    labels: dict[int, NumberLabel] = {}
    for dot in dots:
        candidates = _candidates(dot)
        chosen = next((c for c in candidates
                       if _is_free(number_box(c, dot.number), c, dot, dots, placed, (width, height))),
                      candidates[-1])
        labels[dot.number] = chosen
        placed.append(number_box(chosen, dot.number))
    return labels


def size_legend(top: int) -> list[tuple[int, float]]:
    """(count, radius) of the reference circles: the largest count, about half, and 1."""
    values = sorted({top, max(1, round(top / 2)), 1}, reverse=True)
    return [(v, round(max(DOT_MAX * math.sqrt(v / top), DOT_MIN), 1)) for v in values]


@bp.get("/panorama")
def index() -> str:
    """The panorama page: map of cities, then bars by theme, landlord, partner, city, audience, year."""
    session = db_session()
    response = search_practices(session, runtime().index, "", limit=1)
    missing = browse.missing_counts(session)
    charts = [bar_chart(facet, response.facets.get(facet, []), missing[facet])
              for facet in CHART_FACETS]
    cities = response.facets.get("city", [])
    dots, unplaced = place_cities(cities)
    # Largest circles first, so that smaller ones stay visible and clickable on top.
    drawn = sorted(dots, key=lambda d: (-d.r, d.number))
    numbers = place_numbers(dots, MAP_WIDTH, MAP_HEIGHT)
    return render_template(
        "panorama/index.html", section="panorama", total=response.total, charts=charts,
        dots=dots, drawn=drawn, numbers=numbers, unplaced=unplaced, departments=department_paths(),
        insets=insets(), map_size=(MAP_WIDTH, MAP_HEIGHT), mainland_height=MAINLAND_HEIGHT,
        sizes=size_legend(max((c.count for c in cities), default=1)),
        without_city=missing["city"], source=geography.SOURCE)
