"""What the room projection relies on, on both engines: the outbox, room truth, imports, places."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bridge.db import create_database
from bridge.db.room_sync import RoomSyncQueue
from bridge.db.teams import TeamRepository
from bridge.domain.errors import DomainError
from bridge.domain.roles import Role
from bridge.domain.teams import TeamService

ALICE, BOB, CAROL = "@alice:localhost", "@bob:localhost", "@carol:localhost"


@pytest.fixture
async def parts(database_url: str) -> AsyncIterator[tuple[TeamService, RoomSyncQueue]]:
    db = create_database(database_url)
    await db.start()
    try:
        yield TeamService(TeamRepository(db)), RoomSyncQueue(db)
    finally:
        await db.stop()


async def pending_teams(queue: RoomSyncQueue) -> list[str]:
    return [request.team_id for request in await queue.due()]


async def test_every_change_asks_for_the_room_and_a_done_request_is_cleared(
    parts: tuple[TeamService, RoomSyncQueue],
) -> None:
    service, queue = parts
    team = await service.create_team_at("Équipe Gerland", "local", "69007", ALICE)
    assert await pending_teams(queue) == [team.id]
    (request,) = await queue.due()
    assert await queue.done(request)
    assert await pending_teams(queue) == []

    await service.member_joined(team.id, BOB)
    (request,) = await queue.due()
    await service.change_role(team.id, ALICE, BOB, Role.MANAGER)
    # A request that arrived while the first was being carried out is not lost.
    assert not await queue.done(request)
    assert await pending_teams(queue) == [team.id]


async def test_a_failed_request_is_retried_later(parts: tuple[TeamService, RoomSyncQueue]) -> None:
    service, queue = parts
    team = await service.create_team_at("Équipe Gerland", "local", "69007", ALICE)
    (request,) = await queue.due()
    await queue.failed(request, "M_LIMIT_EXCEEDED")
    assert await pending_teams(queue) == []
    assert await queue.pending() == 1
    await service.archive_team(team.id)  # a new change makes it due again at once
    assert await pending_teams(queue) == [team.id]


async def test_the_room_decides_who_is_in_and_the_last_referent_is_replaced(
    parts: tuple[TeamService, RoomSyncQueue],
) -> None:
    service, _ = parts
    team = await service.create_team_at("Équipe Gerland", "local", "69007", ALICE)
    assert await service.member_joined(team.id, BOB)
    assert not await service.member_joined(team.id, BOB)  # a second join event changes nothing
    assert await service.member_joined(team.id, CAROL)
    await service.change_role(team.id, ALICE, CAROL, Role.MANAGER)

    assert await service.member_left(team.id, ALICE) == CAROL  # the manager before the member
    roles = {m.user_id: m.role for m in await service.members(team.id)}
    assert roles == {CAROL: Role.REFERENT, BOB: Role.MEMBER}
    assert await service.member_left(team.id, BOB) is None
    assert await service.member_left(team.id, "@stranger:localhost") is None


async def test_power_level_edits_apply_only_what_the_rules_allow(
    parts: tuple[TeamService, RoomSyncQueue],
) -> None:
    service, _ = parts
    team = await service.create_team_at("Équipe Gerland", "local", "69007", ALICE)
    await service.member_joined(team.id, BOB)
    await service.member_joined(team.id, CAROL)

    refusals = await service.power_levels_edited(team.id, ALICE, {ALICE: 100, BOB: 75})
    assert refusals == []
    assert await service.repository.role_of(team.id, BOB) is Role.MANAGER

    # Bob (manager) may not make Carol referent, nor demote Alice.
    refusals = await service.power_levels_edited(team.id, BOB, {BOB: 50, CAROL: 100, ALICE: 0})
    assert sorted(refusal.key for refusal in refusals) == [
        "team.role.not_allowed",
        "team.role.referent_only",
    ]
    assert await service.repository.role_of(team.id, ALICE) is Role.REFERENT
    assert await service.repository.role_of(team.id, CAROL) is Role.MEMBER


async def test_an_import_row_creates_its_team_once(
    parts: tuple[TeamService, RoomSyncQueue],
) -> None:
    service, _ = parts
    first, created = await service.import_team(
        "row:gerland", "Équipe Gerland", "local", "69007", ALICE
    )
    again, created_again = await service.import_team(
        "row:gerland", "Équipe Gerland", "local", "69007", ALICE
    )
    assert (created, created_again) == (True, False)
    assert again.id == first.id
    assert [team.id for team in await service.list_teams()] == [first.id]


async def test_places_are_resolved_and_bad_ones_explained(
    parts: tuple[TeamService, RoomSyncQueue],
) -> None:
    service, _ = parts
    team = await service.create_team_at("Équipe Villeurbanne", "local", "Villeurbanne", ALICE)
    assert (team.commune, team.postcode, team.departement) == ("Villeurbanne", "69100", "69")
    assert team.latitude is not None and abs(team.latitude - 45.77) < 0.05

    with pytest.raises(DomainError) as unknown:
        await service.create_team_at("Équipe X", "local", "Villeurbane", ALICE)
    assert unknown.value.key == "place.unknown"
    assert any("Villeurbanne" in s for s in unknown.value.params["suggestions"])

    with pytest.raises(DomainError) as ambiguous:
        await service.create_team_at("Équipe Y", "local", "Saint-Denis", ALICE)
    assert ambiguous.value.key == "place.ambiguous"
    assert len(ambiguous.value.params["candidates"]) >= 2

    with pytest.raises(DomainError) as required:
        await service.create_team_at("Équipe Z", "local", "", ALICE)
    assert required.value.key == "team.place.required"
    thematic = await service.create_team_at("Écologie", "thematic", None, ALICE)
    assert thematic.departement is None
    assert [t.name for t in await service.list_teams()] == ["Écologie", "Équipe Villeurbanne"]


async def test_an_avatar_must_be_an_mxc_uri(parts: tuple[TeamService, RoomSyncQueue]) -> None:
    service, _ = parts
    for bad in ("https://example.org/a.png", "mxc://", "mxc://server/id with space"):
        with pytest.raises(DomainError) as refused:
            await service.create_team_at("Équipe Gerland", "local", "69007", ALICE, avatar_url=bad)
        assert refused.value.key == "team.avatar.invalid"
    assert await service.list_teams() == []
    team = await service.create_team_at(
        "Équipe Gerland", "local", "69007", ALICE, avatar_url=" mxc://example.org/Xy-9 "
    )
    assert team.avatar_url == "mxc://example.org/Xy-9"
