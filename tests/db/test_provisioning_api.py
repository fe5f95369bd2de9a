"""The provisioning API mounted as the appservice mounts it, on both engines: what a client
program sends and reads back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bridge.domain.supporters import SupporterService
from bridge.domain.teams import TeamService
from bridge.provisioning import PREFIX, provisioning_app

SECRET = "s3cret-for-the-provisioning-tests"
AUTH = {"Authorization": f"Bearer {SECRET}"}
ALICE, BOB, CAROL, DAVE = (
    "@alice:localhost",
    "@bob:localhost",
    "@carol:localhost",
    "@dave:localhost",
)
LYON = {"name": "Équipe Lyon 3", "kind": "local", "place": "69003", "referent": ALICE}


@pytest.fixture
async def client(service: TeamService) -> AsyncIterator[TestClient[Any, Any]]:
    root = web.Application()
    supporters = SupporterService.on_database(service.repository.db)
    root.add_subapp(PREFIX, provisioning_app(service, supporters, SECRET))
    async with TestClient(TestServer(root)) as test_client:
        yield test_client


async def call(
    client: TestClient[Any, Any], method: str, path: str, **kwargs: Any
) -> tuple[int, Any]:
    headers = {**AUTH, **kwargs.pop("headers", {})}
    async with client.request(method, PREFIX + path, headers=headers, **kwargs) as response:
        return response.status, await response.json()


async def test_no_token_is_401_and_a_wrong_one_403(client: TestClient[Any, Any]) -> None:
    async with client.get(PREFIX + "/teams") as missing:
        assert missing.status == 401
        assert (await missing.json())["errcode"] == "M_MISSING_TOKEN"
    for wrong in (f"Bearer {SECRET}x", "Bearer x", f"Basic {SECRET}"):
        status, body = await call(client, "GET", "/teams", headers={"Authorization": wrong})
        expected = (401, "M_MISSING_TOKEN") if wrong.startswith("Basic") else (403, "M_FORBIDDEN")
        assert (status, body["errcode"]) == expected
    async with client.post(PREFIX + "/teams/import", data=b"x" * 10) as unauthenticated:
        assert unauthenticated.status == 401  # refused before the body is read


def test_the_api_is_never_built_without_a_secret(service: TeamService) -> None:
    with pytest.raises(ValueError):
        provisioning_app(service, SupporterService.on_database(service.repository.db), "")


async def test_create_list_show_archive(client: TestClient[Any, Any]) -> None:
    status, created = await call(client, "POST", "/teams", json={**LYON, "description": "3e"})
    assert status == 201
    team = created["team"]
    assert team["id"].startswith("equipe-lyon-3-")
    assert (team["name"], team["commune"], team["postcode"], team["departement"]) == (
        "Équipe Lyon 3",
        "Lyon 3e Arrondissement",
        "69003",
        "69",
    )
    assert team["room_id"] is None and team["archived"] is False and team["members"] == 1
    assert created["members"] == [
        {"user_id": ALICE, "role": "referent", "joined_at": created["members"][0]["joined_at"]}
    ]
    thematic = {"name": "Santé", "kind": "thematic", "referent": BOB}
    status, _ = await call(client, "POST", "/teams", json=thematic)
    assert status == 201

    status, listed = await call(client, "GET", "/teams")
    assert status == 200
    assert [(t["name"], t["members"]) for t in listed["teams"]] == [
        ("Santé", 1),
        ("Équipe Lyon 3", 1),
    ]
    status, shown = await call(client, "GET", f"/teams/{team['id']}")
    assert status == 200 and shown == created | {"team": team | {"description": "3e"}}

    status, archived = await call(client, "POST", f"/teams/{team['id']}/archive")
    assert status == 200 and archived["team"]["archived"] is True
    status, again = await call(client, "POST", f"/teams/{team['id']}/archive")
    assert (status, again["errcode"], again["key"]) == (
        409,
        "ORG.RALLIEMENT.CONFLICT",
        "team.archived",
    )
    status, listed = await call(client, "GET", "/teams")
    assert [t["name"] for t in listed["teams"]] == ["Santé"]
    status, listed = await call(client, "GET", "/teams", params={"all": "true"})
    assert [(t["name"], t["archived"]) for t in listed["teams"]] == [
        ("Santé", False),
        ("Équipe Lyon 3", True),
    ]


async def test_refusals_carry_the_domain_key_and_an_admin_sentence(
    client: TestClient[Any, Any],
) -> None:
    status, body = await call(client, "POST", "/teams", json={**LYON, "place": "Saint-Denis"})
    assert (status, body["errcode"], body["key"]) == (400, "M_INVALID_PARAM", "place.ambiguous")
    assert "Saint-Denis (93200)" in body["params"]["candidates"]
    assert body["error"].startswith("'Saint-Denis' names several communes: ")
    status, body = await call(client, "POST", "/teams", json={**LYON, "name": "ab"})
    assert (status, body["key"], body["params"]) == (400, "team.name.length", {"min": 3, "max": 80})
    status, body = await call(client, "GET", "/teams/nope")
    assert (status, body["errcode"], body["key"]) == (404, "M_NOT_FOUND", "team.not_found")
    status, body = await call(client, "DELETE", "/teams")
    assert (status, body["errcode"]) == (405, "M_UNRECOGNIZED")


@pytest.mark.parametrize(
    ("body", "status", "errcode", "key", "error"),
    [
        (b"{", 400, "M_NOT_JSON", "request.json.invalid", "the body is not valid JSON"),
        (b"[]", 400, "M_BAD_JSON", "request.json.not_object", "the body must be a JSON object"),
        (
            {"name": "Lyon", "kind": "local", "place": "69003"},
            400,
            "M_MISSING_PARAM",
            "request.field.missing",
            "missing field 'referent'",
        ),
        ({**LYON, "name": 3}, 400, "M_BAD_JSON", "request.field.type", "field 'name' must be a"),
        ({**LYON, "colour": "red"}, 400, "M_BAD_JSON", "request.field.unknown", "unknown field"),
        (
            {**LYON, "referent": "alice"},
            400,
            "M_INVALID_PARAM",
            "request.user_id.invalid",
            "referent must start with @",
        ),
        ({**LYON, "description": "x" * 70_000}, 413, "M_TOO_LARGE", "request.too_large", "the"),
    ],
)
async def test_bad_bodies_are_400_naming_the_field(
    client: TestClient[Any, Any], body: Any, status: int, errcode: str, key: str, error: str
) -> None:
    sent = {"data": body} if isinstance(body, bytes) else {"json": body}
    got_status, got = await call(client, "POST", "/teams", **sent)
    assert (got_status, got["errcode"], got["key"]) == (status, errcode, key)
    assert got["error"].startswith(error)


async def test_role_changes_by_an_admin_keep_the_referent_limits(
    client: TestClient[Any, Any], service: TeamService
) -> None:
    _, created = await call(client, "POST", "/teams", json=LYON)
    team_id = created["team"]["id"]
    for user in (BOB, CAROL, DAVE):
        await service.join(team_id, user)

    async def set_role(user: str, role: str, **extra: Any) -> tuple[int, Any]:
        path = f"/teams/{team_id}/members/{user}/role"
        return await call(client, "PUT", path, json={"role": role, **extra})

    assert await set_role(BOB, "referent") == (
        200,
        {"team_id": team_id, "user_id": BOB, "role": "referent", "changed": True},
    )
    status, body = await set_role(CAROL, "referent")
    assert (status, body["errcode"], body["key"], body["params"]) == (
        409,
        "ORG.RALLIEMENT.CONFLICT",
        "team.role.too_many_referents",
        {"limit": 2},
    )
    assert body["error"] == "a team has at most 2 referents; demote one of them first"
    assert (await set_role(CAROL, "manager"))[1]["changed"] is True
    assert (await set_role(CAROL, "manager"))[1]["changed"] is False
    assert (await set_role(BOB, "member"))[0] == 200  # an admin may demote a referent...
    status, body = await set_role(ALICE, "member")  # ...but not the last one
    assert (status, body["key"]) == (409, "team.role.last_referent")

    # With an actor, the member rules apply: a manager may not make a manager.
    status, body = await set_role(DAVE, "manager", actor=CAROL)
    assert (status, body["errcode"], body["key"]) == (403, "M_FORBIDDEN", "team.role.referent_only")
    assert (await set_role(DAVE, "manager", actor=ALICE))[0] == 200

    status, body = await set_role("@nobody:localhost", "manager")
    assert (status, body["key"]) == (404, "team.member.not_found")
    status, body = await set_role(BOB, "boss")
    assert (status, body["key"]) == (400, "request.field.value")
    status, body = await set_role("bob", "manager")
    assert (status, body["key"]) == (400, "request.user_id.invalid")
    roles = {m.user_id: m.role.value for m in await service.members(team_id)}
    assert roles == {ALICE: "referent", BOB: "member", CAROL: "manager", DAVE: "manager"}


async def test_import_takes_csv_or_json_and_reports_each_row(client: TestClient[Any, Any]) -> None:
    csv_body = (
        "\ufeffnom;type;code_postal;référent\r\n"
        "Équipe Lyon 3;local;69003;@alice:localhost\r\n"
        "Villeurbanne;local;Villeurbanne;alice\r\n"
    ).encode()
    headers = {"Content-Type": "text/csv; charset=utf-8"}
    status, dry = await call(
        client, "POST", "/teams/import", data=csv_body, headers=headers, params={"dry_run": "true"}
    )
    assert status == 200
    assert (dry["dry_run"], dry["created"], dry["existing"], dry["errors"]) == (True, 1, 0, 1)
    status, report = await call(client, "POST", "/teams/import", data=csv_body, headers=headers)
    assert (report["created"], report["existing"], report["errors"]) == (1, 0, 1)
    created, bad = report["rows"]
    assert (created["line"], created["status"]) == (2, "created")
    assert (bad["line"], bad["status"]) == (3, "error")
    assert bad["errors"] == [
        {
            "column": "référent",
            "key": "import.referent.invalid",
            "message": "must start with @ ('alice'): write it like @alice:example.org",
            "params": {"value": "alice"},
        }
    ]
    rows = [{"name": "Équipe Lyon 3", "kind": "local", "place": "69003", "referent": ALICE}]
    status, again = await call(client, "POST", "/teams/import", json=rows)
    assert (status, again["created"], again["existing"]) == (200, 0, 1)
    assert again["rows"][0]["team_id"] == created["team_id"]

    status, body = await call(client, "POST", "/teams/import", json=[{"nme": "x"}])
    assert (status, body["key"]) == (400, "import.file.invalid")
    assert body["error"].startswith("row 1: unknown field 'nme'")
    status, body = await call(
        client, "POST", "/teams/import", data=b"a,b\n", headers={"Content-Type": "text/csv"}
    )
    assert (status, body["key"]) == (400, "import.file.invalid")
    status, body = await call(
        client, "POST", "/teams/import", data=b"x", headers={"Content-Type": "image/png"}
    )
    assert (status, body["key"]) == (415, "request.content_type")
