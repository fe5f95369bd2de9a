"""Importing teams from a table, on both engines: what an admin reads in the report."""

from __future__ import annotations

import pytest

from bridge.db.teams import TeamKind
from bridge.domain.roles import Role
from bridge.domain.teams import TeamService
from ralliement.admin.importer import ImportReport, import_rows
from ralliement.admin.tables import ImportFileError, rows_from_csv, rows_from_json

# French Excel: UTF-8 with a BOM, ';' between cells, CRLF, French header names, blank lines.
FRENCH_EXCEL = (
    "\ufeffNom;Type;Code postal;Référent;Commentaire\r\n"
    "Équipe Lyon 3;locale;69003;@alice:localhost;à relancer\r\n"
    "\r\n"
    "Santé;thématique;;@bob:localhost;\r\n"
    "Villeurbanne en lutte;local;Villeurbanne;carol:localhost;\r\n"
    ";;;;\r\n"
    "Saint-Denis debout;local;Saint-Denis;@dave:localhost;\r\n"
    "Marseille Nord;local;Marseile;@erin:localhost;\r\n"
    "EQUIPE  lyon 3;local;Lyon 3e Arrondissement;@bob:localhost;\r\n"
).encode()


async def import_csv(
    service: TeamService, data: bytes | str, *, dry_run: bool = False
) -> ImportReport:
    rows, ignored = rows_from_csv(data)
    return await import_rows(service, rows, dry_run=dry_run, ignored_columns=ignored)


def lines(report: ImportReport) -> list[str]:
    return report.as_text().splitlines()


async def test_french_excel_file_imports_good_rows_and_names_each_bad_one(
    service: TeamService,
) -> None:
    report = await import_csv(service, FRENCH_EXCEL)
    text = lines(report)
    assert text[0] == "Ignored column: Commentaire"
    assert text[1].startswith("line 2: created 'Équipe Lyon 3' (equipe-lyon-3-")
    assert text[2].startswith("line 4: created 'Santé' (sante-")
    assert text[3] == (
        "line 5, column Référent: must start with @ ('carol:localhost'): "
        "write it like @carol:localhost"
    )
    assert text[4].startswith("line 7, column Code postal: 'Saint-Denis' names several communes:")
    assert "Saint-Denis (93200)" in text[4] and "Saint-Denis (97400)" in text[4]
    assert text[5].startswith("line 8, column Code postal: no commune matches 'Marseile'")
    assert "did you mean: Marseille (13001)" in text[5]
    assert text[6] == (
        "line 9: same team as line 2 (same name and commune); remove one of the rows"
    )
    assert text[-1] == "Created 2, already there 0, errors 4."
    assert (report.created, report.existing, report.errors) == (2, 0, 4)

    teams = {team.name: team for team in await service.list_teams()}
    assert set(teams) == {"Équipe Lyon 3", "Santé"}
    lyon = teams["Équipe Lyon 3"]
    assert (lyon.kind, lyon.commune, lyon.postcode, lyon.departement) == (
        TeamKind.LOCAL,
        "Lyon 3e Arrondissement",
        "69003",
        "69",
    )
    assert teams["Santé"].kind is TeamKind.THEMATIC and teams["Santé"].commune is None
    members = await service.members(lyon.id)
    assert [(m.user_id, m.role) for m in members] == [("@alice:localhost", Role.REFERENT)]


async def test_the_same_file_twice_creates_nothing_the_second_time(service: TeamService) -> None:
    first = await import_csv(service, FRENCH_EXCEL)
    second = await import_csv(service, FRENCH_EXCEL)
    assert (second.created, second.existing, second.errors) == (0, 2, 4)
    assert [row.team_id for row in second.rows if row.status == "existing"] == [
        row.team_id for row in first.rows if row.status == "created"
    ]
    assert second.summary() == "Created 0, already there 2, errors 4."
    assert len(await service.list_teams()) == 2


async def test_an_edited_file_adds_new_rows_and_leaves_existing_teams_alone(
    service: TeamService,
) -> None:
    await import_csv(
        service,
        "name,kind,place,referent\n"
        "Équipe Toulouse,local,31000,@alice:localhost\n"
        "Écologie,thematic,,@bob:localhost\n",
    )
    # Edited: another postcode of the same commune, another referent, a new kind, a new row.
    report = await import_csv(
        service,
        "name,kind,place,referent\n"
        "equipe toulouse,local,31400,@zoe:localhost\n"
        "Écologie,local,Grenoble,@bob:localhost\n"
        "Écologie,thematic,,@bob:localhost\n"
        "Rennes,local,35000,@carol:localhost\n",
    )
    text = lines(report)
    assert text[0].startswith("line 2: already there 'equipe toulouse' (equipe-toulouse-")
    assert text[1] == (
        "  note: its referent is @alice:localhost, the file says @zoe:localhost (not changed)"
    )
    assert text[2].startswith("line 3: created 'Écologie'")  # at a place now: another team
    assert text[3].startswith("line 4: already there 'Écologie'")
    assert text[4].startswith("line 5: created 'Rennes'")
    assert report.summary() == "Created 2, already there 2, errors 0."


async def test_a_dry_run_checks_every_row_and_writes_nothing(service: TeamService) -> None:
    report = await import_csv(service, FRENCH_EXCEL, dry_run=True)
    assert (
        report.summary()
        == "Dry run: would create 2, already there 0, errors 4. Nothing was written."
    )
    assert lines(report)[1] == "line 2: would create 'Équipe Lyon 3'"
    assert await service.list_teams() == []
    assert await service.repository.db.fetchval("SELECT COUNT(*) FROM room_sync") == 0
    await import_csv(service, FRENCH_EXCEL)
    again = await import_csv(service, FRENCH_EXCEL, dry_run=True)
    assert (again.created, again.existing, again.errors) == (0, 2, 4)


async def test_every_problem_of_a_row_is_reported_and_the_batch_goes_on(
    service: TeamService,
) -> None:
    report = await import_csv(
        service,
        "name;kind;place;referent\n"
        "ab;party;Lyonn;\n"
        "Quimper;local;;@Alice:localhost\n"
        "Brest, rive droite;local;29200;@alice:localhost;surplus\n"
        '"Brest; rive gauche";local;29200;@alice:localhost\n',
    )
    text = lines(report)
    assert text[-2].startswith("line 5: created 'Brest; rive gauche' (brest-rive-gauche-")
    assert text[:-2] + text[-1:] == [
        "line 2, column name: the team name must be 3 to 80 characters long (spaces collapsed);"
        " shorten or complete it",
        "line 2, column kind: the kind 'party' is unknown; write local or thematic",
        "line 2, column place: no commune matches 'Lyonn' (did you mean: Lyon (69001), Lonny"
        " (08150)?); write a postcode such as 69003 or the commune's exact name",
        "line 2, column referent: is empty: write the referent's Matrix user ID, e.g."
        " @alice:example.org",
        "line 3, column place: a local team needs a place; give its postcode or commune, or make"
        " it thematic",
        "line 3, column referent: must be lower case ('@Alice:localhost'): write @alice:localhost",
        "line 4: this row has 5 cells, more than the header: put a cell that contains the"
        " delimiter between double quotes",
        "Created 1, already there 0, errors 3.",
    ]
    error = report.as_json()["rows"][0]["errors"][2]
    assert error["column"] == "place" and error["key"] == "place.unknown"
    assert error["params"]["suggestions"] == ["Lyon (69001)", "Lonny (08150)"]


async def test_commune_and_postcode_columns_together_locate_the_team(
    service: TeamService,
) -> None:
    report = await import_csv(
        service,
        "nom,commune,code_postal,type,referent\n"
        "Saint-Denis debout,Saint-Denis,93200,local,@dave:localhost\n"
        "Saint-Denis Réunion,Saint-Denis,97400,local,@dave:localhost\n",
    )
    assert report.errors == 0, report.as_text()
    places = {t.name: (t.commune, t.departement) for t in await service.list_teams()}
    assert places == {
        "Saint-Denis debout": ("Saint-Denis", "93"),
        "Saint-Denis Réunion": ("Saint-Denis", "974"),
    }


def test_a_windows_1252_file_and_quoted_lines_keep_their_line_numbers() -> None:
    data = (
        "Nom;Type;Code postal;Référent\r\n"
        '"Équipe\r\nsur deux lignes";local;69003;@a:b\r\n'
        "Là;local;69003;@a:b\r\n"
    )
    rows, ignored = rows_from_csv(data.encode("cp1252"))
    assert ignored == []
    assert [(row.line, row.cell("name")) for row in rows] == [
        (2, "Équipe sur deux lignes"),
        (4, "Là"),
    ]


def test_a_file_the_importer_cannot_read_is_refused_as_a_whole() -> None:
    with pytest.raises(ImportFileError, match="the file is empty"):
        rows_from_csv(b"\xef\xbb\xbf\r\n\r\n")
    with pytest.raises(ImportFileError, match=r"line 2: the header has no kind column"):
        rows_from_csv("\nname;place;referent\nLyon;69003;@a:b\n")
    with pytest.raises(ImportFileError, match="'Nom' and 'name' both give the team's name"):
        rows_from_csv("Nom,name,kind,referent\n")
    with pytest.raises(ImportFileError, match="unknown field 'colour'"):
        rows_from_json([{"name": "Lyon", "colour": "red"}])
    with pytest.raises(ImportFileError, match=r"'place' must be a string \(postcodes too"):
        rows_from_json([{"name": "Lyon", "place": 69003}])
    with pytest.raises(ImportFileError, match="must be a JSON list"):
        rows_from_json({"name": "Lyon"})


async def test_json_rows_import_like_a_file(service: TeamService) -> None:
    rows = rows_from_json(
        [
            {"name": "Grenoble", "kind": "local", "place": "38000", "referent": "@a:localhost"},
            {"nom": "Culture", "type": "thématique", "référent": "@b:localhost"},
            {"name": "Grenoble", "kind": "local", "postcode": "38100", "referent": "@a:localhost"},
        ]
    )
    report = await import_rows(service, rows)
    assert [(row.line, row.status) for row in report.rows] == [
        (1, "created"),
        (2, "created"),
        (3, "error"),
    ]
    assert report.rows[2].errors[0].key == "import.row.duplicate"
