"""The admin doors against the real stack: ``ralliement admin`` as a subprocess on the stack's
configuration, and the provisioning API served by the running appservice."""

from __future__ import annotations

import asyncio
import json
import secrets
import sys
from pathlib import Path
from typing import Any

import aiohttp

from bridge.provisioning import PREFIX
from ralliement.devstack.stack import DevStack
from tests.integration.conftest import NewUser
from tests.support.homeserver import appservice_api, eventually, open_team_service, stack_config

TEAM_STATE = "org.ralliement.team"


async def admin(stack: DevStack, *args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "ralliement",
        "admin",
        *args,
        "-c",
        str(stack.config_path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_space_init_makes_the_campaign_space_once(stack: DevStack) -> None:
    code, out, err = await admin(stack, "space", "init", "--json")
    assert code == 0, err
    room_id = json.loads(out)["room_id"]
    code, out, err = await admin(stack, "space", "init")
    assert (code, out) == (0, f"Campaign space 'Ralliement (dev)': {room_id}\n"), err
    state = await appservice_api(stack).state(room_id)
    assert state[("m.room.create", "")]["type"] == "m.space"


async def test_import_creates_teams_whose_rooms_appear_and_a_rerun_creates_nothing(
    stack: DevStack, new_user: NewUser, tmp_path: Path
) -> None:
    alice, bob = await new_user(), await new_user()
    tag = secrets.token_hex(3)
    teams_csv = tmp_path / "teams.csv"
    teams_csv.write_bytes(
        (
            "\ufeffnom;type;code_postal;référent\r\n"
            f"Portes {tag} Lyon;locale;69003;{alice.user_id}\r\n"
            f"Portes {tag} Santé;thématique;;{bob.user_id}\r\n"
            f"Portes {tag} Nulle part;local;Lyonn;{bob.user_id}\r\n"
        ).encode()
    )
    code, out, _ = await admin(stack, "team", "import", str(teams_csv), "--json")
    report = json.loads(out)
    assert (code, report["created"], report["existing"], report["errors"]) == (1, 2, 0, 1)
    lyon, sante, bad = report["rows"]
    assert bad["line"] == 4 and bad["errors"][0]["column"] == "code_postal"
    assert bad["errors"][0]["key"] == "place.unknown"

    service = await open_team_service(stack)
    try:
        for row in (lyon, sante):
            team = await eventually(
                lambda row=row: service.get_team(row["team_id"]),
                lambda team: team.room_id is not None,
                timeout=60,
            )
            assert team.room_id is not None
            state = await appservice_api(stack).state(team.room_id)
            assert state[(TEAM_STATE, "")]["id"] == row["team_id"]
            assert state[("m.room.name", "")] == {"name": row["name"]}
    finally:
        await service.repository.db.stop()

    code, out, _ = await admin(stack, "team", "import", str(teams_csv))
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == f"line 2: already there 'Portes {tag} Lyon' ({lyon['team_id']})"
    assert lines[1] == f"line 3: already there 'Portes {tag} Santé' ({sante['team_id']})"
    assert lines[2].startswith("line 4, column code_postal: no commune matches 'Lyonn'")
    assert lines[3] == "Created 0, already there 2, errors 1."

    code, out, _ = await admin(stack, "team", "show", lyon["team_id"], "--json")
    card = json.loads(out)
    assert card["team"]["room_id"] is not None
    assert card["members"][0]["user_id"] == alice.user_id


# Strict: once bridge/app.py mounts the API, this passes and the marker must go.
async def test_the_running_appservice_serves_the_provisioning_api(
    stack: DevStack, new_user: NewUser
) -> None:
    config = stack_config(stack)
    base = f"{config.appservice.address}{PREFIX}"
    auth = {"Authorization": f"Bearer {config.provisioning.shared_secret}"}
    alice = await new_user()

    async def call(method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        async with (
            aiohttp.ClientSession() as session,
            session.request(method, base + path, **kwargs) as response,
        ):
            return response.status, await response.json()

    assert (await call("GET", "/teams"))[0] == 401
    body = {"name": f"API {secrets.token_hex(3)}", "kind": "local", "place": "Villeurbanne"}
    status, created = await call(
        "POST", "/teams", json=body | {"referent": alice.user_id}, headers=auth
    )
    assert status == 201, created
    team_id = created["team"]["id"]
    shown = await eventually(
        lambda: call("GET", f"/teams/{team_id}", headers=auth),
        lambda answer: answer[1]["team"]["room_id"] is not None,
        timeout=60,
    )
    state = await appservice_api(stack).state(shown[1]["team"]["room_id"])
    assert state[(TEAM_STATE, "")]["id"] == team_id
