"""An offline gazetteer of French communes, postcodes and départements.

The data (``data/communes.tsv.gz``, built by ``scripts/build_gazetteer.py``) lists every current
commune of metropolitan France and the five overseas départements, and the municipal
arrondissements of Paris, Lyon and Marseille, once per postcode. It answers without network.

Lookups by name return one `Place` per commune, carrying the commune's main postcode (its town
hall's); lookups by postcode return one `Place` per commune having that postcode, carrying it.
"""

from __future__ import annotations

import difflib
import functools
import gzip
import re
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files

from .names import departement_by_rule, departement_code, is_postcode, name_key

COMMUNES_FILE = "communes.tsv.gz"
DEPARTEMENTS_FILE = "departements.tsv.gz"

# coordinates_source in the data file → Place.precision.
_PRECISION = {
    "mairie": "commune",
    "contour": "commune",
    "geonames": "commune",
    "postcode": "postcode",
    "departement": "departement",
}
# "Saint-Denis (93)", "Saint-Denis 974", "Ajaccio, 2A".
_NAME_AND_DEPARTEMENT = re.compile(r"(?P<name>.*?\S)[\s,]*[(\s,]\s*(?P<code>\d{2,3}|2[AaBb])\s*\)?")
# "69003 Lyon", "Lyon 69003", "Lyon (69003)".
_POSTCODE_AND_NAME = re.compile(r"(?P<postcode>\d{5})[\s,]+(?P<name>\D.*)")
_NAME_AND_POSTCODE = re.compile(r"(?P<name>.*?\D)[\s,(]+(?P<postcode>\d{5})\s*\)?")


@dataclass(frozen=True, slots=True)
class Place:
    """A commune (or a municipal arrondissement) with one of its postcodes.

    ``precision`` says how close to the commune the coordinates are: ``"commune"`` (its town hall,
    else the centre of its area), ``"postcode"`` (the mean of the communes sharing its postcode)
    or ``"departement"`` (the mean of its département's communes).
    """

    commune: str
    insee: str
    postcode: str
    departement: str
    latitude: float
    longitude: float
    precision: str
    population: int


class Gazetteer:
    """Communes by postcode and by name, and the départements' names.

    Rows are kept as columns and a `Place` is made for each answer, which keeps loading fast and
    memory small. `gazetteer()` gives the one built from the package data.
    """

    def __init__(self, rows: Iterable[Sequence[str]], departements: Mapping[str, str]) -> None:
        """Index the rows.

        Args:
            rows: the data file's lines without its header, split into their ten columns.
            departements: code → name.
        """
        self._departements = dict(departements)
        self._commune: list[str] = []
        self._insee: list[str] = []
        self._postcode: list[str] = []
        self._departement: list[str] = []
        self._precision: list[str] = []
        self._population = array("q")
        self._latitude = array("d")
        self._longitude = array("d")
        is_main: list[bool] = []
        self._parent: dict[str, str] = {}  # municipal arrondissement → its commune
        shared: dict[str, str] = {}  # one string object for each repeated value
        for insee, name, postcode, departement, population, lat, lon, source, main, parent in rows:
            self._commune.append(shared.setdefault(name, name))
            self._insee.append(shared.setdefault(insee, insee))
            self._postcode.append(shared.setdefault(postcode, postcode))
            self._departement.append(shared.setdefault(departement, departement))
            self._precision.append(_PRECISION[source])
            self._population.append(int(population))
            self._latitude.append(float(lat))
            self._longitude.append(float(lon))
            is_main.append(main == "1")
            if parent:
                self._parent[insee] = parent
        # A postcode of Paris, Lyon or Marseille is answered by its arrondissement, not the city.
        split = {
            (self._parent[i], p)
            for i, p in zip(self._insee, self._postcode, strict=True)
            if i in self._parent
        }
        self._by_postcode: dict[str, list[int]] = {}
        self._by_name: dict[str, list[int]] = {}
        self._main: dict[str, int] = {}
        self._communes: list[int] = []
        # Most populous first (the sort is stable: ties keep the file's order, by INSEE code).
        for row in sorted(range(len(is_main)), key=self._population.__getitem__, reverse=True):
            insee = self._insee[row]
            if (insee, self._postcode[row]) not in split:
                self._by_postcode.setdefault(self._postcode[row], []).append(row)
            if is_main[row]:
                self._main[insee] = row
                self._by_name.setdefault(name_key(self._commune[row]), []).append(row)
                if insee not in self._parent:
                    self._communes.append(row)
        self._name_keys = list(self._by_name)

    @classmethod
    def load(cls) -> Gazetteer:
        """The gazetteer of the package data (about 0.2 s; prefer the shared `gazetteer()`)."""
        departements = {code: name for code, name in _read_tsv(DEPARTEMENTS_FILE)}
        return cls(_read_tsv(COMMUNES_FILE), departements)

    def by_postcode(self, postcode: str) -> list[Place]:
        """The communes having this postcode, most populous first ([] if none).

        In Paris, Lyon and Marseille that is the arrondissement ("69003" gives
        "Lyon 3e Arrondissement"), not the city.
        """
        rows = self._by_postcode.get(postcode.strip().replace(" ", ""), ())
        return [self._place(row) for row in rows]

    def by_name(self, text: str) -> list[Place]:
        """The communes named ``text``, most populous first, each with its main postcode.

        Case, accents, hyphens, apostrophes and "St"/"Ste" do not matter. "Paris" is the city
        (postcode 75001, coordinates at its centre); "Paris 11e", "Paris 11" and
        "Lyon 3e Arrondissement" are arrondissements. Communes of the same name in several
        départements are all returned.
        """
        return [self._place(row) for row in self._by_name.get(name_key(text), ())]

    def resolve(self, text: str) -> list[Place]:
        """The candidates for a place as a user types it ([] if none is known).

        Accepted: a postcode ("69003"), a name ("Saint-Étienne"), a name and a département code
        ("Saint-Denis (93)", "Saint-Denis 974"), a postcode and a name ("69003 Lyon",
        "Lyon 69003"). Several candidates mean the text is ambiguous: let the user choose. When the
        name does not match any commune of the postcode (a former commune's name, a hamlet), the
        postcode's communes are returned.
        """
        text = " ".join(text.split())
        if is_postcode(text):
            return self.by_postcode(text)
        match = _POSTCODE_AND_NAME.fullmatch(text) or _NAME_AND_POSTCODE.fullmatch(text)
        if match:
            return self._postcode_and_name(match["postcode"], match["name"])
        places = self.by_name(text)
        if places:
            return places
        match = _NAME_AND_DEPARTEMENT.fullmatch(text)
        if match:
            code = departement_code(match["code"])
            return [p for p in self.by_name(match["name"]) if p.departement == code]
        return []

    def suggest(self, text: str, limit: int = 5) -> list[Place]:
        """Communes whose names are spelt close to ``text``, closest first ("did you mean").

        Args:
            text: a name that `by_name` did not find, e.g. "Marseile".
            limit: how many places at most.
        """
        close = difflib.get_close_matches(name_key(text), self._name_keys, n=limit, cutoff=0.75)
        return [self._place(row) for key in close for row in self._by_name[key]][:limit]

    def departement_name(self, code: str) -> str | None:
        """The name of a département ("69" → "Rhône", "2A" → "Corse-du-Sud"), None if unknown."""
        return self._departements.get(departement_code(code))

    def departement_of_postcode(self, postcode: str) -> str | None:
        """The département code of a postcode: its communes' (the most populous one's when a
        postcode crosses a border), else by the numbering rule; None if it is no French
        département's ("98000" Monaco, "97500" Saint-Pierre-et-Miquelon, not a postcode)."""
        places = self.by_postcode(postcode)
        if places:
            return places[0].departement
        code = departement_by_rule(postcode.strip())
        return code if code in self._departements else None

    def departements(self) -> dict[str, str]:
        """Every département, code → name, sorted by code ("01", …, "29", "2A", "2B", "30", …)."""
        return dict(sorted(self._departements.items()))

    def communes(self, departement: str | None = None) -> list[Place]:
        """Every commune (arrondissements excluded), or a département's, with its main postcode,
        most populous first."""
        code = None if departement is None else departement_code(departement)
        return [
            self._place(row)
            for row in self._communes
            if code is None or self._departement[row] == code
        ]

    def _postcode_and_name(self, postcode: str, name: str) -> list[Place]:
        places = self.by_postcode(postcode)
        key = name_key(name)
        named = [p for p in places if key in (name_key(p.commune), self._parent_key(p.insee))]
        return named or places

    def _parent_key(self, insee: str) -> str | None:
        """The name key of the commune of a municipal arrondissement, None for a commune."""
        parent = self._parent.get(insee)
        return None if parent is None else name_key(self._commune[self._main[parent]])

    def _place(self, row: int) -> Place:
        return Place(
            commune=self._commune[row],
            insee=self._insee[row],
            postcode=self._postcode[row],
            departement=self._departement[row],
            latitude=self._latitude[row],
            longitude=self._longitude[row],
            precision=self._precision[row],
            population=self._population[row],
        )


@functools.cache
def gazetteer() -> Gazetteer:
    """The gazetteer of the package data, loaded on first use and shared by the process."""
    return Gazetteer.load()


def _read_tsv(name: str) -> Iterator[list[str]]:
    """The rows of a gzipped TSV file of the package data, header skipped."""
    data = gzip.decompress((files("ralliement.geo") / "data" / name).read_bytes())
    lines = data.decode("utf-8").splitlines()
    return (line.split("\t") for line in lines[1:])
