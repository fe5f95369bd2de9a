"""The supporter endpoints of the provisioning API, mounted as the appservice mounts them, on both
engines: what the sign-up site sends and reads back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bridge.db.supporters import SupporterSource
from bridge.domain.supporters import SupporterService
from bridge.domain.teams import TeamService
from bridge.provisioning import PREFIX, provisioning_app

SECRET = "s3cret-for-the-supporter-api-tests"
AUTH = {"Authorization": f"Bearer {SECRET}"}


@pytest.fixture
def supporters(service: TeamService) -> SupporterService:
    return SupporterService.on_database(service.repository.db)


@pytest.fixture
async def client(
    service: TeamService, supporters: SupporterService
) -> AsyncIterator[TestClient[Any, Any]]:
    root = web.Application()
    root.add_subapp(PREFIX, provisioning_app(service, supporters, SECRET))
    async with TestClient(TestServer(root)) as test_client:
        yield test_client


async def call(
    client: TestClient[Any, Any], method: str, path: str, **kwargs: Any
) -> tuple[int, Any]:
    headers = {**AUTH, **kwargs.pop("headers", {})}
    async with client.request(method, PREFIX + path, headers=headers, **kwargs) as response:
        return response.status, await response.json()


async def test_the_sign_up_site_pushes_a_supporter_then_updates_them(
    client: TestClient[Any, Any], supporters: SupporterService
) -> None:
    new = {"email": " Alice.Martin@Exemple.FR", "name": "Alice  Martin", "postcode": "69 003"}
    status, body = await call(client, "POST", "/supporters", json=new)
    assert status == 201
    created_at = body["supporter"]["created_at"]
    assert body == {
        "status": "created",
        "supporter": {
            "email": "alice.martin@exemple.fr",
            "name": "Alice Martin",
            "postcode": "69003",
            "source": "api",
            "linked": False,
            "created_at": created_at,
            "updated_at": created_at,
        },
    }
    status, body = await call(client, "POST", "/supporters", json=new)
    assert (status, body["status"]) == (200, "unchanged")

    await supporters.link("alice.martin@exemple.fr", "@alice:localhost", allow_unlisted=False)
    moved = {"email": "alice.martin@exemple.fr", "postcode": "69004"}
    status, body = await call(client, "POST", "/supporters", json=moved)
    assert (status, body["status"]) == (200, "updated")
    supporter = body["supporter"]
    assert (supporter["name"], supporter["postcode"], supporter["linked"]) == (
        "Alice Martin",
        "69004",
        True,
    )
    assert "@alice:localhost" not in str(body)  # the linked account is not shown
    assert await supporters.repository.count() == 1


@pytest.mark.parametrize(
    ("sent", "key", "errcode"),
    [
        ({"email": "alice"}, "supporter.email.invalid", "M_INVALID_PARAM"),
        ({"email": "a@b.fr", "postcode": "Lyon"}, "supporter.postcode.invalid", "M_INVALID_PARAM"),
        ({"email": "a@b.fr", "name": "x" * 121}, "supporter.name.length", "M_INVALID_PARAM"),
        ({"name": "Alice"}, "request.field.missing", "M_MISSING_PARAM"),
        ({"email": "a@b.fr", "phone": "06"}, "request.field.unknown", "M_BAD_JSON"),
        ({"email": "a@b.fr", "postcode": 69003}, "request.field.type", "M_BAD_JSON"),
    ],
)
async def test_a_bad_supporter_is_a_400_that_says_why(
    client: TestClient[Any, Any],
    supporters: SupporterService,
    sent: dict[str, Any],
    key: str,
    errcode: str,
) -> None:
    status, body = await call(client, "POST", "/supporters", json=sent)
    assert (status, body["key"], body["errcode"]) == (400, key, errcode)
    assert body["error"]
    assert await supporters.repository.count() == 0


async def test_import_csv_and_json_with_a_report_per_row(
    client: TestClient[Any, Any], supporters: SupporterService
) -> None:
    table = (
        "\ufeffemail;nom;code_postal;source\r\n"
        "alice@exemple.fr;Alice;69003;site\r\n"
        "bob@exemple.fr;Bob;Lyon;site\r\n"
        "ALICE@exemple.fr;Alice bis;;site\r\n"
    ).encode()
    csv = {"Content-Type": "text/csv; charset=utf-8"}
    status, dry = await call(
        client, "POST", "/supporters/import?dry_run=true", data=table, headers=csv
    )
    assert status == 200
    assert (dry["dry_run"], dry["created"], dry["errors"]) == (True, 1, 2)
    assert await supporters.repository.count() == 0

    status, report = await call(client, "POST", "/supporters/import", data=table, headers=csv)
    assert status == 200
    assert {key: report[key] for key in ("created", "updated", "unchanged", "errors")} == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "errors": 2,
    }
    assert report["ignored_columns"] == ["source"]
    assert [(row["line"], row["email"], row["status"]) for row in report["rows"]] == [
        (2, "alice@exemple.fr", "created"),
        (3, "bob@exemple.fr", "error"),
        (4, "alice@exemple.fr", "error"),
    ]
    assert report["rows"][1]["errors"][0]["column"] == "code_postal"
    assert report["rows"][2]["errors"][0]["key"] == "import.row.duplicate"
    alice = await supporters.find_by_email("alice@exemple.fr")
    assert alice is not None and alice.source is SupporterSource.API

    rows = [{"email": "alice@exemple.fr", "name": "Alice Martin"}, {"email": "carol@exemple.fr"}]
    status, report = await call(client, "POST", "/supporters/import", json=rows)
    assert status == 200
    assert [(row["line"], row["status"], row["changed"]) for row in report["rows"]] == [
        (1, "updated", ["name"]),
        (2, "created", []),
    ]
    assert await supporters.repository.count() == 2


async def test_import_bodies_that_cannot_be_read(client: TestClient[Any, Any]) -> None:
    status, body = await call(
        client,
        "POST",
        "/supporters/import",
        data=b"name;postcode\nAlice;69003\n",
        headers={"Content-Type": "text/csv"},
    )
    assert (status, body["key"]) == (400, "import.file.invalid")
    assert "no email column" in body["error"]
    status, body = await call(client, "POST", "/supporters/import", json={"email": "a@b.fr"})
    assert (status, body["key"]) == (400, "import.file.invalid")
    status, body = await call(
        client,
        "POST",
        "/supporters/import",
        data=b"email",
        headers={"Content-Type": "application/xml"},
    )
    assert (status, body["key"]) == (415, "request.content_type")
    async with client.post(PREFIX + "/supporters", json={"email": "a@b.fr"}) as unauthenticated:
        assert unauthenticated.status == 401


async def test_no_endpoint_lists_supporters(
    client: TestClient[Any, Any], supporters: SupporterService
) -> None:
    await supporters.upsert("secret.person@exemple.fr", "Secret")
    for path in ("/supporters", "/supporters/import", "/supporters?name=Secret"):
        status, body = await call(client, "GET", path)
        assert (status, body["key"]) == (405, "request.unrecognized")
        assert "secret.person" not in str(body)
