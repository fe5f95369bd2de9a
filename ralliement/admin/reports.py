"""What an import says about each row, shared by the imports of teams (:mod:`.importer`) and of
supporters (:mod:`.supporter_import`): the errors of a row with their column and fix, and a
report that counts the rows by status and reads as text or JSON.

A bad row never stops a batch: its errors are in the report, the other rows go on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from bridge.domain.errors import DomainError

from .messages import admin_message
from .tables import ImportRow

# Keys of the importers' own refusals (the domain's keys are used for the rest).
CELL_EMPTY = "import.cell.empty"
ROW_SHAPE = "import.row.cells"
DUPLICATE = "import.row.duplicate"


@dataclass(frozen=True)
class RowError:
    column: str | None
    key: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "key": self.key,
            "message": self.message,
            "params": dict(self.params),
        }


def refused(column: str | None, refusal: DomainError) -> RowError:
    """A domain refusal about ``column`` (as the file names it), in the admins' words."""
    return RowError(column, refusal.key, admin_message(refusal), refusal.params)


def empty_cell(row: ImportRow, column: str, hint: str) -> RowError:
    return RowError(row.header(column), CELL_EMPTY, f"is empty: write {hint}")


def row_shape_error(row: ImportRow) -> RowError | None:
    """The error of a row with more cells than the header (a delimiter inside a cell)."""
    if not row.extra_cells:
        return None
    return RowError(
        None,
        ROW_SHAPE,
        f"this row has {row.extra_cells} cells, more than the header: put a cell that contains"
        " the delimiter between double quotes",
        {"cells": row.extra_cells},
    )


def duplicate(first_line: int, what: str, why: str = "") -> RowError:
    """The error of a row that repeats the row of ``first_line``: the same ``what`` (because of
    ``why``)."""
    because = f" ({why})" if why else ""
    return RowError(
        None,
        DUPLICATE,
        f"same {what} as line {first_line}{because}; remove one of the rows",
        {"line": first_line},
    )


def error_lines(line: int, errors: list[RowError]) -> list[str]:
    """ "line 5, column Référent: must start with @ ..." for each error of a row."""
    return [
        f"line {line}" + (f", column {error.column}" if error.column else "") + f": {error.message}"
        for error in errors
    ]


class RowReport(Protocol):
    @property
    def status(self) -> str: ...

    def as_json(self) -> dict[str, Any]: ...

    def as_text(self) -> list[str]: ...


R = TypeVar("R", bound=RowReport)


@dataclass
class BatchReport(Generic[R]):
    """The rows of one import, in order; a subclass says how to sum them up."""

    dry_run: bool
    rows: list[R] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def errors(self) -> int:
        return self.count("error")

    def summary(self) -> str:
        raise NotImplementedError

    def as_text(self) -> str:
        lines = [f"Ignored column: {name}" for name in self.ignored_columns]
        for row in self.rows:
            lines.extend(row.as_text())
        lines.append(self.summary())
        return "\n".join(lines)

    def rows_json(self) -> dict[str, Any]:
        """The keys every import's JSON report has besides its counts."""
        return {
            "dry_run": self.dry_run,
            "errors": self.errors,
            "ignored_columns": self.ignored_columns,
            "rows": [row.as_json() for row in self.rows],
        }


def catching(column: str | None, errors: list[RowError], check: Callable[[], Any]) -> Any:
    """``check()``, or None with its refusal added to ``errors`` (about ``column``)."""
    try:
        return check()
    except DomainError as refusal:
        errors.append(refused(column, refusal))
        return None
