"""Reading the tables admins import: a CSV file (as spreadsheets write it) or JSON rows.

Each kind of table (:data:`TEAMS`, :data:`SUPPORTERS`) names its columns and the header names
accepted for each, English or French. CSV files may start with a BOM, use ';' (French Excel), ','
or a tab, hold blank lines and quoted cells on several lines, and be UTF-8 or Windows-1252.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

DELIMITERS = (";", ",", "\t")


@dataclass(frozen=True)
class Table:
    """The columns of one kind of table.

    Attributes:
        subject: what a row is, for messages ("the team's name").
        columns: each column, and the header names accepted for it (compared without accents
            and case, spaces and dashes read as "_").
        required: the columns the header must have.
        joined: the columns that several headers may give together; their cells are joined with
            a space, in the file's order (a commune and a postcode; a first and a last name).
    """

    subject: str
    columns: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...]
    joined: frozenset[str] = frozenset()

    def column_of(self, header: str) -> str | None:
        """The column a header cell names, if any."""
        wanted = _header_name(header)
        for column, aliases in self.columns.items():
            if any(_header_name(alias) == wanted for alias in aliases):
                return column
        return None

    def known_names(self) -> list[str]:
        return sorted(
            {_header_name(alias) for aliases in self.columns.values() for alias in aliases}
        )


TEAMS = Table(
    "team",
    {
        "name": ("name", "nom"),
        "kind": ("kind", "type"),
        "place": ("place", "postcode", "code_postal", "commune"),
        "referent": ("referent", "référent"),
    },
    required=("name", "kind", "referent"),
    joined=frozenset({"place"}),
)

SUPPORTERS = Table(
    "supporter",
    {
        "email": ("email", "e-mail", "mail", "courriel", "adresse_email", "adresse_mail"),
        "name": ("name", "nom", "full_name", "nom_complet", "first_name", "prénom", "last_name"),
        "postcode": ("postcode", "code_postal", "cp", "postal_code", "zip", "zip_code"),
    },
    required=("email",),
    joined=frozenset({"name"}),
)


class ImportFileError(ValueError):
    """The table as a whole cannot be read (no header, a missing column, not text)."""


def fold(text: str) -> str:
    """Text compared loosely: "  Équipe  LYON " → "equipe lyon"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def _header_name(cell: str) -> str:
    return fold(cell).replace(" ", "_").replace("-", "_").replace("'", "_")


@dataclass(frozen=True)
class ImportRow:
    """One row to import; ``line`` is its line in the file (its position in a JSON list)."""

    line: int
    cells: Mapping[str, str]
    headers: Mapping[str, str] = field(default_factory=dict)
    extra_cells: int = 0

    def cell(self, column: str) -> str:
        return " ".join(self.cells.get(column, "").split())

    def header(self, column: str) -> str:
        """The column's name as the file wrote it."""
        return self.headers.get(column, column)


def decode(data: bytes) -> str:
    """The text of a file: UTF-8 (with or without a BOM), else Windows-1252 (older Excel)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _map_header(
    table: Table, cells: Sequence[str], line: int
) -> tuple[dict[int, str], dict[str, str], list[str]]:
    """Which cell holds which column; the columns' names as written; the ignored columns."""
    positions: dict[int, str] = {}
    written: dict[str, str] = {}
    ignored: list[str] = []
    for position, cell in enumerate(cells):
        column = table.column_of(cell)
        if column is None:
            if cell.strip():
                ignored.append(cell.strip())
            continue
        if column in written and column not in table.joined:
            raise ImportFileError(
                f"line {line}: the columns {written[column]!r} and {cell.strip()!r} both give"
                f" the {table.subject}'s {column}; keep one"
            )
        positions[position] = column
        written[column] = f"{written[column]}/{cell.strip()}" if column in written else cell.strip()
    missing = [column for column in table.required if column not in written]
    if missing:
        accepted = "; ".join(f"{c}: {', '.join(table.columns[c])}" for c in missing)
        found = ", ".join(repr(cell) for cell in cells)
        raise ImportFileError(
            f"line {line}: the header has no {' or '.join(missing)} column (found {found}); the"
            f" first line must name the columns (accepted names — {accepted})"
        )
    return positions, written, ignored


def _delimiter(text: str) -> str:
    """The delimiter of the header line: ';' (French Excel), ',' or a tab."""
    for line in text.splitlines():
        if line.strip():
            return max(DELIMITERS, key=line.count)
    return ","


def rows_from_csv(data: bytes | str, table: Table = TEAMS) -> tuple[list[ImportRow], list[str]]:
    """The rows of a CSV ``table`` (BOM, ';' or ',' or tab, blank lines are handled).

    Returns:
        The rows, and the header cells that name no known column (ignored).

    Raises:
        ImportFileError: the table is empty or its header lacks a required column.
    """
    text = decode(data) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    positions: dict[int, str] | None = None
    written: dict[str, str] = {}
    ignored: list[str] = []
    rows: list[ImportRow] = []
    last_line = width = 0
    try:
        for record in reader:
            line, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if positions is None:
                positions, written, ignored = _map_header(table, record, line)
                width = len(record)
                continue
            cells: dict[str, str] = {}
            for position, column in positions.items():
                value = record[position].strip() if position < len(record) else ""
                # Joined columns (commune and postcode): "Saint-Denis 93200".
                cells[column] = f"{cells[column]} {value}".strip() if column in cells else value
            extra = len(record) if any(cell.strip() for cell in record[width:]) else 0
            rows.append(ImportRow(line, cells, written, extra))
    except csv.Error as error:
        raise ImportFileError(f"line {reader.line_num}: {error}") from error
    if positions is None:
        raise ImportFileError("the file is empty: the first line must name the columns")
    return rows, ignored


def rows_from_json(records: Any, table: Table = TEAMS) -> list[ImportRow]:
    """The rows of a JSON list of objects whose keys are column names (as in a CSV header).

    Raises:
        ImportFileError: not a list of objects, an unknown key, a value that is not text.
    """
    if not isinstance(records, list):
        raise ImportFileError("the body must be a JSON list of rows (objects)")
    rows = []
    for index, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise ImportFileError(f"row {index} must be an object, not {type(record).__name__}")
        cells: dict[str, str] = {}
        for key, value in record.items():
            column = table.column_of(key)
            if column is None:
                known = ", ".join(table.known_names())
                raise ImportFileError(f"row {index}: unknown field {key!r} (known: {known})")
            if value is not None and not isinstance(value, str):
                raise ImportFileError(
                    f'row {index}: {key!r} must be a string (postcodes too: "01000")'
                )
            cells[column] = f"{cells.get(column, '')} {value or ''}".strip()
        rows.append(ImportRow(index, cells))
    return rows
