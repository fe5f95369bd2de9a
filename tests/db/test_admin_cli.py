"""``ralliement admin`` run as an admin runs it (a subprocess), on both engines."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bridge.db import create_database
from bridge.db.teams import TeamRepository
from bridge.domain.teams import TeamService
from ralliement.devstack.stack import StackState, app_config_dict

RALLIEMENT = [sys.executable, "-m", "ralliement"]
TEAMS_CSV = (
    "\ufeffnom;type;code_postal;référent\r\n"
    "Équipe Lyon 3;locale;69003;@alice:localhost\r\n"
    "\r\n"
    "Villeurbanne;local;Villeurbanne;@bob:localhost\r\n"
    "Rennes;local;Rennes;bob\r\n"
)


@pytest.fixture
def config(tmp_path: Path, database_url: str) -> Path:
    data = app_config_dict(StackState(8008, 29330, "p" * 32, "s" * 32))
    data["database"]["url"] = database_url
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.fixture
async def service(database_url: str, config: Path) -> AsyncIterator[TeamService]:
    db = create_database(database_url)
    await db.start()
    try:
        yield TeamService(TeamRepository(db))
    finally:
        await db.stop()


async def admin(config: Path, *args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        *RALLIEMENT,
        "admin",
        *args,
        "-c",
        str(config),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(stdin), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def admin_json(config: Path, *args: str) -> Any:
    code, out, err = await admin(config, *args, "--json")
    assert code == 0, err
    return json.loads(out)


async def test_create_waits_for_the_room_then_list_show_archive(
    config: Path, service: TeamService
) -> None:
    create = asyncio.create_task(
        admin(
            config,
            "team",
            "create",
            "Équipe Lyon 3",
            "--kind",
            "local",
            "--place",
            "69003",
            "--referent",
            "@alice:localhost",
            "--wait",
            "20",
        )
    )
    # Play the appservice: give the team its room while the command waits for it.
    for _ in range(300):
        if teams := await service.list_teams():
            break
        await asyncio.sleep(0.1)
    await service.repository.set_room(teams[0].id, "!room:localhost")
    code, out, err = await create
    assert code == 0, err
    assert out.splitlines() == [
        f"Created team 'Équipe Lyon 3': {teams[0].id} (referent @alice:localhost).",
        "Room: !room:localhost",
    ]

    code, out, _ = await admin(config, "team", "list")
    header, row = out.splitlines()
    assert header.split() == [
        "ID",
        "NAME",
        "KIND",
        "COMMUNE",
        "(POSTCODE)",
        "DÉP.",
        "MEMBERS",
        "ROOM",
    ]
    assert row.split() == [
        teams[0].id,
        "Équipe",
        "Lyon",
        "3",
        "local",
        "Lyon",
        "3e",
        "Arrondissement",
        "(69003)",
        "69",
        "1",
        "!room:localhost",
    ]

    card = await admin_json(config, "team", "show", teams[0].id)
    assert card["team"]["room_id"] == "!room:localhost"
    assert [(m["user_id"], m["role"]) for m in card["members"]] == [
        ("@alice:localhost", "referent")
    ]
    code, out, _ = await admin(config, "team", "show", teams[0].id)
    assert "Place:       Lyon 3e Arrondissement (69003)" in out
    assert "  referent  @alice:localhost" in out
    assert "@" not in out.replace("@alice:localhost", "")  # Matrix IDs only, never an email

    code, out, _ = await admin(config, "team", "archive", teams[0].id)
    assert code == 0 and out.startswith(f"Archived team 'Équipe Lyon 3' ({teams[0].id})")
    assert (await admin_json(config, "team", "list"))["teams"] == []
    listed = await admin_json(config, "team", "list", "--all")
    assert [(t["id"], t["archived"]) for t in listed["teams"]] == [(teams[0].id, True)]
    code, out, _ = await admin(config, "team", "list", "--all")
    assert f"{teams[0].id} [archived]" in out


async def test_without_the_appservice_create_says_the_room_will_follow(config: Path) -> None:
    code, out, err = await admin(
        config,
        "team",
        "create",
        "Santé",
        "--kind",
        "thematic",
        "--referent",
        "@bob:localhost",
        "--wait",
        "0.3",
    )
    assert code == 0, err
    assert out.splitlines()[1] == (
        "Its room is not there yet: the appservice creates it as soon as it runs "
        f"(`ralliement bridge -c {config}`)."
    )
    created = await admin_json(
        config,
        "team",
        "create",
        "Culture",
        "--kind",
        "thematic",
        "--referent",
        "@bob:localhost",
        "--wait",
        "0",
    )
    assert created["room_pending"] is True and created["team"]["name"] == "Culture"


async def test_refusals_and_usage_errors_are_one_line(config: Path, tmp_path: Path) -> None:
    code, out, err = await admin(config, "team", "show", "nope")
    assert (code, out) == (1, "")
    assert err == (
        "ralliement admin: there is no team 'nope'; list the teams with "
        "`ralliement admin team list`\n"
    )
    code, _, err = await admin(
        config,
        "team",
        "create",
        "Lyon",
        "--kind",
        "local",
        "--place",
        "Saint-Denis",
        "--referent",
        "@a:localhost",
    )
    assert code == 1 and err.startswith("ralliement admin: 'Saint-Denis' names several communes")
    code, _, err = await admin(
        config, "team", "create", "Lyon", "--kind", "local", "--referent", "alice"
    )
    assert code == 2
    assert err == (
        "ralliement admin: --referent must start with @ ('alice'): write it like "
        "@alice:example.org\n"
    )
    code, _, err = await admin(config, "team", "import", str(tmp_path / "missing.csv"))
    assert code == 2 and err.count("\n") == 1 and "cannot read" in err
    broken = tmp_path / "broken.yaml"
    broken.write_text("homeserver: [\n")
    code, _, err = await admin(broken, "team", "list")
    assert code == 2 and err.startswith("ralliement: ") and err.count("\n") == 1


async def test_import_twice_reports_rows_and_creates_nothing_new(
    config: Path, tmp_path: Path
) -> None:
    teams = tmp_path / "teams.csv"
    teams.write_bytes(TEAMS_CSV.encode())
    code, out, _ = await admin(config, "team", "import", str(teams), "--dry-run")
    assert code == 1
    assert out.splitlines()[-1] == (
        "Dry run: would create 2, already there 0, errors 1. Nothing was written."
    )
    code, out, _ = await admin(config, "team", "import", str(teams))
    lines = out.splitlines()
    assert code == 1
    assert lines[0].startswith("line 2: created 'Équipe Lyon 3' (equipe-lyon-3-")
    assert lines[1].startswith("line 4: created 'Villeurbanne' (villeurbanne-")
    assert lines[2] == (
        "line 5, column référent: must start with @ ('bob'): write it like @bob:example.org"
    )
    assert lines[3] == "Created 2, already there 0, errors 1."

    fixed = TEAMS_CSV.replace(";bob\r\n", ";@bob:localhost\r\n").encode()
    code, out, err = await admin(config, "team", "import", "-", "--json", stdin=fixed)
    assert code == 0, err
    report = json.loads(out)
    assert (report["created"], report["existing"], report["errors"]) == (1, 2, 0)
    assert [row["status"] for row in report["rows"]] == ["existing", "existing", "created"]
    assert len((await admin_json(config, "team", "list"))["teams"]) == 3
