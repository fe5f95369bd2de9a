"""Supporters in bulk, from a table: one importer for ``ralliement admin supporters import`` and
for ``POST /supporters/import`` of the provisioning API.

A table (read by :mod:`.tables` with :data:`~.tables.SUPPORTERS`) has the column email and
optionally name and postcode. Each row goes through
:meth:`~bridge.domain.supporters.SupporterService.save`, keyed on the normalised address, so
re-importing a file (or a newer export of the sign-up site) updates names and postcodes and never
duplicates anyone; an empty name or postcode cell keeps what is stored, and a supporter's linked
Matrix account is never touched.

A bad row (an invalid address, a postcode that is not five digits, an address already on an
earlier line of the same table) is reported with its line, its column and the fix; the batch
goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bridge.db.supporters import SupporterSource
from bridge.domain.supporters import (
    Saved,
    SupporterInput,
    SupporterService,
    clean_name,
    normalise_email,
    normalise_postcode,
)

from .reports import (
    BatchReport,
    RowError,
    catching,
    duplicate,
    empty_cell,
    error_lines,
    row_shape_error,
)
from .tables import ImportRow

EXAMPLE_EMAIL = "alice@example.org"

_VERBS = {
    "created": "created",
    "updated": "updated",
    "unchanged": "unchanged",
    "to_create": "would create",
    "to_update": "would update",
}


@dataclass
class SupporterRow:
    """What became of one row: ``created``, ``updated``, ``unchanged``, ``to_create`` or
    ``to_update`` (dry run), or ``error``. ``email`` is the address as stored, or the cell as
    sent when it is not an address."""

    line: int
    email: str
    status: str = "error"
    changed: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "email": self.email,
            "status": self.status,
            "changed": self.changed,
            "errors": [error.as_json() for error in self.errors],
        }

    def as_text(self) -> list[str]:
        """The row's line, except for an unchanged row (only counted: a list re-imported every
        week is mostly unchanged)."""
        if self.errors:
            return error_lines(self.line, self.errors)
        if self.status == "unchanged":
            return []
        text = f"line {self.line}: {_VERBS[self.status]} {self.email}"
        if self.changed and self.status in ("updated", "to_update"):
            text += f" ({', '.join(self.changed)})"
        return [text]


@dataclass
class SupporterImportReport(BatchReport[SupporterRow]):
    @property
    def created(self) -> int:
        return self.count("to_create" if self.dry_run else "created")

    @property
    def updated(self) -> int:
        return self.count("to_update" if self.dry_run else "updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    def summary(self) -> str:
        if self.dry_run:
            return (
                f"Dry run: would create {self.created}, would update {self.updated}, unchanged"
                f" {self.unchanged}, errors {self.errors}. Nothing was written."
            )
        return (
            f"Created {self.created}, updated {self.updated}, unchanged {self.unchanged},"
            f" errors {self.errors}."
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            **self.rows_json(),
        }


def _check_row(row: ImportRow, result: SupporterRow) -> SupporterInput | None:
    """The row's supporter, normalised; None when the row has errors (all of them are in
    ``result.errors``, column by column)."""
    errors = result.errors
    if shape := row_shape_error(row):
        errors.append(shape)
    email = None
    if not row.cell("email"):
        errors.append(empty_cell(row, "email", f"the supporter's address, e.g. {EXAMPLE_EMAIL}"))
    else:
        email = catching(row.header("email"), errors, lambda: normalise_email(row.cell("email")))
    name = catching(row.header("name"), errors, lambda: clean_name(row.cell("name")))
    postcode = catching(
        row.header("postcode"), errors, lambda: normalise_postcode(row.cell("postcode"))
    )
    if errors or email is None:
        return None
    result.email = email
    return SupporterInput(email, name or "", postcode)


async def _import_row(
    service: SupporterService,
    row: ImportRow,
    seen: dict[str, int],
    source: SupporterSource,
    dry_run: bool,
) -> SupporterRow:
    result = SupporterRow(row.line, row.cell("email"))
    wanted = _check_row(row, result)
    if wanted is None:
        return result
    if wanted.email in seen:
        result.errors.append(duplicate(seen[wanted.email], "address"))
        return result
    seen[wanted.email] = row.line
    existing = await service.repository.get_by_email(wanted.email)
    result.changed = wanted.changes(existing) if existing else []
    if dry_run:
        if existing is None:
            result.status = "to_create"
        else:
            result.status = "to_update" if result.changed else "unchanged"
        return result
    _, saved = await service.save(wanted.email, wanted.name, wanted.postcode, source)
    result.status = saved.value
    if saved is not Saved.UPDATED:
        result.changed = []
    return result


async def import_supporters(
    service: SupporterService,
    rows: Iterable[ImportRow],
    *,
    source: SupporterSource = SupporterSource.IMPORT,
    dry_run: bool = False,
    ignored_columns: Sequence[str] = (),
) -> SupporterImportReport:
    """Save each row as a supporter, or with ``dry_run`` only say what would happen. Never
    raises for a bad row: its errors are in the report.

    Args:
        source: where new supporters come from (``import`` for an admin's file, ``api`` for the
            sign-up site).
    """
    report = SupporterImportReport(dry_run=dry_run, ignored_columns=list(ignored_columns))
    seen: dict[str, int] = {}
    for row in rows:
        report.rows.append(await _import_row(service, row, seen, source, dry_run))
    return report
