"""Teams in bulk, from a table: one importer for ``ralliement admin team import`` and for
``POST /teams/import`` of the provisioning API.

A table (read by :mod:`.tables`) has the columns name, kind, place and referent. Each row goes
through :class:`~bridge.domain.teams.TeamService`: the same rules as a team created any other
way. A bad row is reported with its line, its column and the fix, and the batch goes on.

Re-running a file is safe. Each row is keyed on the team's **name** (accents, case and spaces
ignored) and its **commune** as resolved (so "69003" and "Lyon 3e Arrondissement" are the same
place); the kind and the referent are not part of the key. So after an admin edits a file and
imports it again:

- rows already imported are "already there" and nothing is created, even if their kind or referent
  was edited (the importer never changes an existing team; a note says what differs: change it
  with the API or the bot commands);
- a renamed team or a team moved to another commune is a new team;
- rows that failed before are imported once fixed.

Two rows of one file with the same key are reported as duplicates (the first one is imported).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bridge.db.teams import Team
from bridge.domain.errors import DomainError
from bridge.domain.places import TeamPlace, resolve_team_place
from bridge.domain.roles import Role
from bridge.domain.teams import TeamService, clean_name, parse_kind

from .inputs import EXAMPLE_USER, kind_from_word, user_id_problem
from .reports import (
    BatchReport,
    RowError,
    duplicate,
    empty_cell,
    error_lines,
    refused,
    row_shape_error,
)
from .tables import ImportRow, fold

KEY_PREFIX = "import:"

# Key of this importer's own refusal (the domain's keys and those of :mod:`.reports` are used
# for the rest).
REFERENT_INVALID = "import.referent.invalid"

# The column a domain refusal is about, by key prefix.
_COLUMN_OF_KEY = (("team.name.", "name"), ("team.kind.", "kind"), ("team.place.", "place"))


def import_key(name: str, place: TeamPlace | None) -> str:
    """The source key of an imported team: its folded name and its commune."""
    where = f"{place.departement}/{fold(place.commune)}" if place else "-"
    return f"{KEY_PREFIX}{fold(name)}|{where}"


@dataclass
class RowResult:
    """What became of one row: ``created``, ``existing``, ``to_create`` (dry run) or ``error``."""

    line: int
    name: str
    status: str
    team_id: str | None = None
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "name": self.name,
            "status": self.status,
            "team_id": self.team_id,
            "errors": [error.as_json() for error in self.errors],
            "notes": self.notes,
        }

    def as_text(self) -> list[str]:
        if self.errors:
            return error_lines(self.line, self.errors)
        verb = {"created": "created", "existing": "already there", "to_create": "would create"}
        text = f"line {self.line}: {verb[self.status]} {self.name!r}"
        if self.team_id:
            text += f" ({self.team_id})"
        return [text] + [f"  note: {note}" for note in self.notes]


@dataclass
class ImportReport(BatchReport[RowResult]):
    @property
    def created(self) -> int:
        return self.count("to_create" if self.dry_run else "created")

    @property
    def existing(self) -> int:
        return self.count("existing")

    def summary(self) -> str:
        counts = f"already there {self.existing}, errors {self.errors}."
        if self.dry_run:
            return f"Dry run: would create {self.created}, {counts} Nothing was written."
        return f"Created {self.created}, {counts}"

    def as_json(self) -> dict[str, Any]:
        return {"created": self.created, "existing": self.existing, **self.rows_json()}


# --- Importing -----------------------------------------------------------------------------


def _column_of(error: DomainError) -> str:
    for prefix, column in _COLUMN_OF_KEY:
        if error.key.startswith(prefix):
            return column
    return "place" if error.key.startswith("place.") else "name"


_EMPTY_HINTS = {
    "name": "the team's name",
    "kind": "local or thematic",
    "referent": f"the referent's Matrix user ID, e.g. {EXAMPLE_USER}",
}


def _check_row(
    service: TeamService, row: ImportRow, kind: str
) -> tuple[list[RowError], str, TeamPlace | None]:
    """Every problem of a row, column by column, as the domain sees it; and, when there is
    none, the team's cleaned name and its place."""
    errors: list[RowError] = []
    if shape := row_shape_error(row):
        errors.append(shape)
    checks = (("name", row.cell("name"), clean_name), ("kind", kind, parse_kind))
    for column, value, check in checks:
        try:
            if value:
                check(value)
            else:
                errors.append(_empty(row, column))
        except DomainError as refusal:
            errors.append(refused(row.header(column), refusal))
    name, place = "", None
    try:
        if not errors:  # the whole check, with the rules that join columns (a local team's place)
            name, _, place = service.check_new_team(row.cell("name"), kind, row.cell("place"))
        elif row.cell("place"):
            resolve_team_place(row.cell("place"))
    except DomainError as refusal:
        errors.append(refused(row.header(_column_of(refusal)), refusal))
    referent = row.cell("referent")
    if not referent:
        errors.append(_empty(row, "referent"))
    elif problem := user_id_problem(referent):
        errors.append(
            RowError(row.header("referent"), REFERENT_INVALID, problem, {"value": referent})
        )
    return errors, name, place


def _empty(row: ImportRow, column: str) -> RowError:
    return empty_cell(row, column, _EMPTY_HINTS[column])


async def _notes(service: TeamService, team: Team, row: ImportRow, kind: str) -> list[str]:
    """What the row says that differs from the team already there (which is left unchanged)."""
    notes = []
    if team.archived_at is not None:
        notes.append("this team is archived")
    if team.kind.value != kind:
        notes.append(f"its kind is {team.kind.value}, the file says {kind} (not changed)")
    referents = [m.user_id for m in await service.members(team.id) if m.role is Role.REFERENT]
    if row.cell("referent") not in referents:
        notes.append(
            f"its referent is {', '.join(referents) or 'nobody'}, the file says"
            f" {row.cell('referent')} (not changed)"
        )
    return notes


async def _import_row(
    service: TeamService, row: ImportRow, seen: dict[str, int], dry_run: bool
) -> RowResult:
    result = RowResult(row.line, row.cell("name"), "error")
    kind = kind_from_word(row.cell("kind"))
    result.errors, name, place = _check_row(service, row, kind)
    if result.errors:
        return result
    key = import_key(name, place)
    if key in seen:
        result.errors.append(duplicate(seen[key], "team", "same name and commune"))
        return result
    seen[key] = row.line
    if dry_run:
        existing = await service.repository.get_by_source_key(key)
        if existing is None:
            result.status = "to_create"
            return result
        team, created = existing, False
    else:
        try:
            team, created = await service.import_team(
                key, row.cell("name"), kind, row.cell("place"), row.cell("referent")
            )
        except DomainError as refusal:
            result.errors.append(refused(row.header(_column_of(refusal)), refusal))
            return result
    result.team_id = team.id
    result.status = "created" if created else "existing"
    if not created:
        result.notes = await _notes(service, team, row, kind)
    return result


async def import_rows(
    service: TeamService,
    rows: Iterable[ImportRow],
    *,
    dry_run: bool = False,
    ignored_columns: Sequence[str] = (),
) -> ImportReport:
    """Import each row as a team (unless already imported), or with ``dry_run`` only say what
    would happen. Never raises for a bad row: its errors are in the report."""
    report = ImportReport(dry_run=dry_run, ignored_columns=list(ignored_columns))
    seen: dict[str, int] = {}
    for row in rows:
        report.rows.append(await _import_row(service, row, seen, dry_run))
    return report
