"""Teams on both engines: creation, roles, departures, concurrency, and the v1 → v2 migration."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

import pytest
from mautrix.util.async_db import UpgradeTable

from bridge.db import create_database
from bridge.db.teams import TeamKind, TeamRepository
from bridge.db.upgrade import upgrade_table, upgrade_v1
from bridge.domain.errors import DomainError
from bridge.domain.roles import Role
from bridge.domain.teams import TeamService

ALICE, BOB, CAROL, DAVE = (
    "@alice:localhost",
    "@bob:localhost",
    "@carol:localhost",
    "@dave:localhost",
)


async def roles(service: TeamService, team_id: str) -> dict[str, Role]:
    return {member.user_id: member.role for member in await service.members(team_id)}


async def refused(key: str, coroutine: Awaitable[object]) -> None:
    with pytest.raises(DomainError) as error:
        await coroutine
    assert error.value.key == key


async def test_creating_a_team_makes_its_referent(service: TeamService) -> None:
    team = await service.create_team("  Équipe   Lyon 3e ", "local", "Lyon", "69003", "69", ALICE)
    assert team.name == "Équipe Lyon 3e"
    assert team.id.startswith("equipe-lyon-3e-")
    assert team.kind is TeamKind.LOCAL
    assert await service.get_team(team.id) == team
    assert await roles(service, team.id) == {ALICE: Role.REFERENT}
    repository = service.repository
    assert [t.id for t in await repository.list_teams()] == [team.id]
    assert await repository.archive(team.id)
    assert not await repository.archive(team.id)
    assert await repository.list_teams() == []


async def test_invalid_teams_are_refused_and_nothing_is_stored(service: TeamService) -> None:
    await refused("team.name.length", service.create_team("  ab ", "local", None, None, None, BOB))
    await refused("team.name.length", service.create_team("x" * 81, "local", None, None, None, BOB))
    await refused("team.kind.invalid", service.create_team("Santé", "party", None, None, None, BOB))
    assert await service.repository.list_teams() == []
    await refused("team.not_found", service.join("nope", BOB))


async def test_promote_demote_join_and_leave(service: TeamService) -> None:
    team = await service.create_team("Écologie", TeamKind.THEMATIC, None, None, None, ALICE)
    assert await service.join(team.id, BOB)
    assert not await service.join(team.id, BOB)  # idempotent
    await service.join(team.id, CAROL)
    await service.change_role(team.id, ALICE, BOB, Role.MANAGER)
    await refused("team.role.referent_only", service.change_role(team.id, BOB, CAROL, Role.MANAGER))
    await refused("team.role.not_allowed", service.change_role(team.id, CAROL, BOB, Role.MEMBER))
    await service.change_role(team.id, ALICE, CAROL, Role.REFERENT)
    assert await roles(service, team.id) == {
        ALICE: Role.REFERENT,
        CAROL: Role.REFERENT,
        BOB: Role.MANAGER,
    }
    await refused(
        "team.role.too_many_referents", service.change_role(team.id, ALICE, BOB, Role.REFERENT)
    )
    await service.change_role(team.id, CAROL, CAROL, Role.MEMBER)  # steps down: Alice remains
    await refused(
        "team.role.last_referent", service.change_role(team.id, ALICE, ALICE, Role.MEMBER)
    )
    await refused("team.leave.last_referent", service.leave(team.id, ALICE))
    await refused("team.member.not_found", service.change_role(team.id, ALICE, DAVE, Role.MANAGER))
    await refused("team.not_member", service.change_role(team.id, DAVE, BOB, Role.MEMBER))
    await service.leave(team.id, BOB)
    await refused("team.not_member", service.leave(team.id, BOB))
    assert await roles(service, team.id) == {ALICE: Role.REFERENT, CAROL: Role.MEMBER}


async def test_concurrent_promotions_fill_one_referent_slot(service: TeamService) -> None:
    team = await service.create_team("Lille centre", "local", "Lille", "59000", "59", ALICE)
    for user in (BOB, CAROL):
        await service.join(team.id, user)
    results = await asyncio.gather(
        service.change_role(team.id, ALICE, BOB, Role.REFERENT),
        service.change_role(team.id, ALICE, CAROL, Role.REFERENT),
        return_exceptions=True,
    )
    errors = [result for result in results if isinstance(result, BaseException)]
    assert len(errors) == 1
    assert isinstance(errors[0], DomainError)
    assert errors[0].key == "team.role.too_many_referents"
    referents = [u for u, role in (await roles(service, team.id)).items() if role is Role.REFERENT]
    assert len(referents) == 2


async def test_concurrent_departures_keep_a_referent(service: TeamService) -> None:
    team = await service.create_team("Nantes", "local", "Nantes", "44000", "44", ALICE)
    await service.join(team.id, BOB)
    await service.change_role(team.id, ALICE, BOB, Role.REFERENT)
    results = await asyncio.gather(
        service.leave(team.id, ALICE), service.leave(team.id, BOB), return_exceptions=True
    )
    assert sum(isinstance(result, DomainError) for result in results) == 1
    assert list((await roles(service, team.id)).values()) == [Role.REFERENT]


async def test_v2_applies_on_a_database_at_v1(database_url: str) -> None:
    only_v1 = UpgradeTable(version_table_name="ralliement_version", database_name="Ralliement")
    only_v1.register(upgrade_v1, description="v1")
    old = create_database(database_url)
    old.upgrade_table = only_v1
    await old.start()
    try:
        assert await old.fetchval("SELECT version FROM ralliement_version") == 1
        assert not await old.table_exists("team")
        await old.execute(
            "INSERT INTO as_transaction (txn_id, event_count, received_at) VALUES ('t1', 0, 1)"
        )
    finally:
        await old.stop()

    db = create_database(database_url)
    await db.start()
    try:
        assert await db.fetchval("SELECT version FROM ralliement_version") == len(
            upgrade_table.upgrades
        )
        assert await db.table_exists("team") and await db.table_exists("team_member")
        assert await db.fetchval("SELECT COUNT(*) FROM as_transaction") == 1
        service = TeamService(TeamRepository(db))
        team = await service.create_team("Marseille", "local", "Marseille", "13001", "13", ALICE)
        assert await roles(service, team.id) == {ALICE: Role.REFERENT}
    finally:
        await db.stop()
