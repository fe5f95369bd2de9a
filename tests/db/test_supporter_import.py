"""Importing supporters from a table, on both engines: what an admin reads in the report, and
``ralliement admin supporters import`` / ``person export`` run as an admin runs them."""

from __future__ import annotations

import json
import stat
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml

from bridge.db import create_database
from bridge.db.supporters import SupporterSource
from bridge.domain.supporters import SupporterService
from ralliement.admin.supporter_import import SupporterImportReport, import_supporters
from ralliement.admin.tables import SUPPORTERS, ImportFileError, rows_from_csv, rows_from_json
from ralliement.devstack.stack import StackState, app_config_dict

from .test_admin_cli import admin

# French Excel: UTF-8 with a BOM, ';' between cells, CRLF, French header names (first and last
# name in two columns), a blank line, a comment column.
FRENCH_EXCEL = (
    "\ufeffCourriel;Prénom;Nom;Code postal;Commentaire\r\n"
    "Alice.Martin@Exemple.FR ;Alice;Martin;69003;à relancer\r\n"
    "\r\n"
    "bob@exemple.fr;Bob;;1000;\r\n"
    "pas-une-adresse;Carol;;69003;\r\n"
    "dave@exemple.fr;Dave;;Lyon;\r\n"
    "ALICE.martin@exemple.fr;Alice;M.;69004;doublon\r\n"
    ";Erin;;;\r\n"
    "frank@exemple.fr;;;;\r\n"
).encode()


async def import_csv(
    supporters: SupporterService, data: bytes | str, *, dry_run: bool = False
) -> SupporterImportReport:
    rows, ignored = rows_from_csv(data, SUPPORTERS)
    return await import_supporters(supporters, rows, dry_run=dry_run, ignored_columns=ignored)


@pytest.fixture
async def supporters(database_url: str) -> AsyncIterator[SupporterService]:
    db = create_database(database_url)
    await db.start()
    try:
        yield SupporterService.on_database(db)
    finally:
        await db.stop()


async def test_french_excel_file_imports_good_rows_and_names_each_bad_one(
    supporters: SupporterService,
) -> None:
    report = await import_csv(supporters, FRENCH_EXCEL)
    assert report.as_text().splitlines() == [
        "Ignored column: Commentaire",
        "line 2: created alice.martin@exemple.fr",
        "line 4: created bob@exemple.fr",
        "line 5, column Courriel: 'pas-une-adresse' is not an email address; write one address"
        " such as alice@example.org (no name, no spaces)",
        "line 6, column Code postal: 'Lyon' is not a French postcode; write its 5 digits, e.g."
        " 69003, or leave the cell empty",
        "line 7: same address as line 2; remove one of the rows",
        "line 8, column Courriel: is empty: write the supporter's address, e.g. alice@example.org",
        "line 9: created frank@exemple.fr",
        "Created 3, updated 0, unchanged 0, errors 4.",
    ]
    assert (report.created, report.updated, report.unchanged, report.errors) == (3, 0, 0, 4)
    alice = await supporters.find_by_email("alice.martin@exemple.fr")
    assert alice is not None
    assert (alice.name, alice.postcode, alice.source) == (
        "Alice Martin",  # Prénom and Nom joined
        "69003",
        SupporterSource.IMPORT,
    )
    bob = await supporters.find_by_email("bob@exemple.fr")
    assert bob is not None and (bob.name, bob.postcode) == ("Bob", "01000")
    assert await supporters.repository.count() == 3

    errors = {row["line"]: row["errors"] for row in report.as_json()["rows"] if row["errors"]}
    assert [(e["column"], e["key"]) for e in errors[5]] == [("Courriel", "supporter.email.invalid")]
    assert errors[6][0]["params"] == {"postcode": "Lyon"}
    assert [(e["key"], e["params"]) for e in errors[7]] == [("import.row.duplicate", {"line": 2})]
    assert errors[8][0]["key"] == "import.cell.empty"


async def test_importing_again_updates_and_never_duplicates(supporters: SupporterService) -> None:
    await import_csv(supporters, FRENCH_EXCEL)
    linked = await supporters.link("bob@exemple.fr", "@bob:localhost", allow_unlisted=False)
    newer = (
        "email,name,postcode\n"
        "alice.martin@exemple.fr,Alice Martin,69004\n"  # moved
        "BOB@exemple.fr,Bob,01000\n"  # unchanged
        "frank@exemple.fr,Frank,\n"  # a name now; no postcode keeps none
        "carol@exemple.fr,Carol,69003\n"  # fixed
    )
    dry = await import_csv(supporters, newer, dry_run=True)
    assert dry.as_text().splitlines() == [
        "line 2: would update alice.martin@exemple.fr (postcode)",
        "line 4: would update frank@exemple.fr (name)",
        "line 5: would create carol@exemple.fr",
        "Dry run: would create 1, would update 2, unchanged 1, errors 0. Nothing was written.",
    ]
    assert await supporters.repository.count() == 3

    report = await import_csv(supporters, newer)
    assert report.summary() == "Created 1, updated 2, unchanged 1, errors 0."
    assert [(row["status"], row["changed"]) for row in report.as_json()["rows"]] == [
        ("updated", ["postcode"]),
        ("unchanged", []),
        ("updated", ["name"]),
        ("created", []),
    ]
    assert await supporters.repository.count() == 4
    bob = await supporters.by_user("@bob:localhost")
    assert bob == linked  # the linked account is never touched

    again = await import_csv(supporters, newer)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert again.as_text() == "Created 0, updated 0, unchanged 4, errors 0."


def test_tables_that_cannot_be_read() -> None:
    with pytest.raises(ImportFileError, match="no email column"):
        rows_from_csv("name;postcode\nAlice;69003\n", SUPPORTERS)
    with pytest.raises(ImportFileError, match="both give the supporter's email"):
        rows_from_csv("email;courriel\na@b.fr;a@b.fr\n", SUPPORTERS)
    with pytest.raises(ImportFileError, match="unknown field 'phone'"):
        rows_from_json([{"email": "a@b.fr", "phone": "06"}], SUPPORTERS)
    rows = rows_from_json([{"Email": "a@b.fr", "code_postal": "69003"}], SUPPORTERS)
    assert [(row.line, row.cell("email"), row.cell("postcode")) for row in rows] == [
        (1, "a@b.fr", "69003")
    ]


# --- The command --------------------------------------------------------------------------------


@pytest.fixture
def config(tmp_path: Path, database_url: str) -> Path:
    data = app_config_dict(StackState(8008, 29330, "p" * 32, "s" * 32))
    data["database"]["url"] = database_url
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


async def test_the_commands_import_and_export(
    config: Path, supporters: SupporterService, tmp_path: Path
) -> None:
    file = tmp_path / "supporters.csv"
    file.write_bytes(FRENCH_EXCEL)
    code, out, err = await admin(config, "supporters", "import", str(file), "--dry-run")
    assert code == 1 and err == ""  # rows failed
    assert out.splitlines()[-1] == (
        "Dry run: would create 3, would update 0, unchanged 0, errors 4. Nothing was written."
    )
    assert await supporters.repository.count() == 0

    code, out, _ = await admin(config, "supporters", "import", "-", "--json", stdin=FRENCH_EXCEL)
    report = json.loads(out)
    assert (code, report["created"], report["errors"]) == (1, 3, 4)

    good = tmp_path / "good.csv"
    good.write_text("email\nalice.martin@exemple.fr\n")
    code, out, _ = await admin(config, "supporters", "import", str(good))
    assert (code, out.strip()) == (0, "Created 0, updated 0, unchanged 1, errors 0.")

    await supporters.link("alice.martin@exemple.fr", "@alice:localhost", allow_unlisted=False)
    code, out, _ = await admin(config, "person", "export", "@alice:localhost")
    assert code == 0
    exported = json.loads(out)
    assert exported["supporter"]["email"] == "alice.martin@exemple.fr"
    assert exported["user_id"] == "@alice:localhost"

    target = tmp_path / "alice.json"
    code, out, _ = await admin(
        config, "person", "export", "Alice.Martin@exemple.fr", "-o", str(target)
    )
    assert code == 0 and str(target) in out
    assert json.loads(target.read_text())["supporter"]["name"] == "Alice Martin"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

    code, out, err = await admin(config, "person", "export", "nobody@exemple.fr")
    assert (code, out) == (1, "")
    assert err.strip() == (
        "ralliement admin: nothing is stored about 'nobody@exemple.fr': no supporter has this"
        " address or Matrix ID, and no team, RSVP, code or joining conversation names it"
    )
    code, _, err = await admin(config, "supporters", "import", str(tmp_path / "missing.csv"))
    assert code == 2 and "cannot read" in err
