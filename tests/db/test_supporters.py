"""Supporters on both engines: addresses as stored, the list kept without duplicates, linking an
account, what ``!moi`` shows, and a person's export and erasure."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from bridge.db.events import EventRepository
from bridge.db.room_sync import RoomSyncQueue
from bridge.db.supporters import SupporterSource
from bridge.db.teams import Team
from bridge.domain.errors import DomainError
from bridge.domain.events import EventPlace, EventService
from bridge.domain.roles import Role
from bridge.domain.supporters import (
    Saved,
    SupporterError,
    SupporterService,
    normalise_email,
    normalise_postcode,
)
from bridge.domain.teams import TeamService

ALICE, BOB, CAROL, DAVE = (f"@{name}:localhost" for name in ("alice", "bob", "carol", "dave"))
SECRET_HASH = "scrypt$this-must-never-be-exported"


@dataclass
class World:
    supporters: SupporterService
    teams: TeamService
    events: EventService


@pytest.fixture
async def world(service: TeamService) -> AsyncIterator[World]:
    db = service.repository.db
    yield World(
        SupporterService.on_database(db),
        service,
        EventService(EventRepository(db), service.repository),
    )


async def refused(key: str, coroutine: Awaitable[object]) -> DomainError:
    with pytest.raises(DomainError) as error:
        await coroutine
    assert error.value.key == key
    return error.value


# --- Addresses as stored ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("alice@example.org", "alice@example.org"),
        ("  Alice.Martin@Exemple.FR ", "alice.martin@exemple.fr"),
        ("\u00a0BOB+campagne@Mail.Example.org\t", "bob+campagne@mail.example.org"),
        ("alice@example.org.", "alice@example.org"),  # the end of a sentence typed in a chat
        ("Zoé@Élysée.fr", "zoé@élysée.fr"),  # internationalised address, folded
        ("Zoe\u0301@example.fr", "zoé@example.fr"),  # the same letter typed two ways
        ("o'neil_x-y=z@sub-domain.example.co.uk", "o'neil_x-y=z@sub-domain.example.co.uk"),
    ],
)
def test_addresses_are_trimmed_and_folded(typed: str, stored: str) -> None:
    assert normalise_email(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "alice",
        "alice@",
        "@example.org",
        "alice@example",  # no top-level domain
        "alice@@example.org",
        "alice@exa mple.org",
        "ali ce@example.org",
        "alice.@example.org",
        ".alice@example.org",
        "al..ice@example.org",
        "alice@-example.org",
        "alice@example-.org",
        "alice@example..org",
        "alice@192.168.0.1",
        "alice@[192.168.0.1]",
        '"alice"@example.org',
        "Alice <alice@example.org>",
        "alice@example.org, bob@example.org",
        "a" * 65 + "@example.org",
        "alice@" + "a" * 250 + ".org",
    ],
)
def test_what_is_not_an_address_is_refused_with_what_was_typed(typed: str) -> None:
    with pytest.raises(SupporterError) as error:
        normalise_email(typed)
    assert (error.value.key, error.value.params) == (
        "supporter.email.invalid",
        {"email": typed.strip()},
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        ("69003", "69003"),
        (" 69 003 ", "69003"),
        ("1000", "01000"),
    ],
)
def test_postcodes(typed: str | None, stored: str | None) -> None:
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize("typed", ["690", "690033", "Lyon", "69OO3", "2A004", "0123", "00100"])
def test_bad_postcodes(typed: str) -> None:
    with pytest.raises(SupporterError) as error:
        normalise_postcode(typed)
    assert (error.value.key, error.value.params) == (
        "supporter.postcode.invalid",
        {"postcode": typed},
    )


# --- The list -----------------------------------------------------------------------------------


async def test_saving_again_updates_and_never_duplicates(world: World) -> None:
    supporters = world.supporters
    first, created = await supporters.upsert("Alice@Example.org", "Alice  Martin", "69003")
    assert created
    assert (first.email, first.name, first.postcode, first.source) == (
        "alice@example.org",
        "Alice Martin",
        "69003",
        SupporterSource.IMPORT,
    )
    assert first.user_id is None and first.verified_at is None

    again, saved = await supporters.save(" alice@EXAMPLE.org ", "Alice Martin", "69003", "api")
    assert (saved, again) == (Saved.UNCHANGED, first)

    # Nothing given keeps what is stored; the source stays the first one.
    kept, saved = await supporters.save("alice@example.org", "", None, "api")
    assert (saved, kept) == (Saved.UNCHANGED, first)

    moved, saved = await supporters.save("alice@example.org", "", "69004")
    assert saved is Saved.UPDATED
    assert (moved.id, moved.name, moved.postcode, moved.source) == (
        first.id,
        "Alice Martin",
        "69004",
        SupporterSource.IMPORT,
    )
    assert await supporters.repository.count() == 1

    await refused("supporter.email.invalid", supporters.upsert("alice.example.org"))
    await refused("supporter.postcode.invalid", supporters.upsert("bob@example.org", "", "Lyon"))
    await refused("supporter.name.length", supporters.upsert("bob@example.org", "x" * 121))
    assert await supporters.repository.count() == 1
    with pytest.raises(ValueError):
        await supporters.upsert("bob@example.org", source="open")


async def test_saving_never_touches_the_linked_account(world: World) -> None:
    supporters = world.supporters
    await supporters.upsert("alice@example.org", "Alice")
    linked = await supporters.link("alice@example.org", ALICE, allow_unlisted=False)
    renamed, created = await supporters.upsert("ALICE@example.org", "Alice Martin", "69003")
    assert not created
    assert (renamed.user_id, renamed.verified_at) == (ALICE, linked.verified_at)
    assert await supporters.by_user(ALICE) == renamed
    assert await supporters.find_by_email(" Alice@Example.ORG") == renamed
    assert await supporters.find_by_email("nobody@example.org") is None


async def test_the_same_new_address_saved_at_once_is_one_supporter(world: World) -> None:
    supporters = world.supporters
    results = await asyncio.gather(
        *(supporters.save("carol@example.org", f"Carol {n}") for n in range(5))
    )
    assert [saved for _, saved in results].count(Saved.CREATED) == 1
    assert len({supporter.id for supporter, _ in results}) == 1
    assert await supporters.repository.count() == 1


# --- Linking an account -------------------------------------------------------------------------


async def test_linking_rules(world: World) -> None:
    supporters = world.supporters
    await supporters.upsert("alice@example.org", "Alice")
    await supporters.upsert("bob@example.org", "Bob")

    unknown = await refused(
        "supporter.unknown", supporters.link("Nobody@Example.org", ALICE, allow_unlisted=False)
    )
    assert unknown.params == {"email": "nobody@example.org"}  # only what the person typed

    linked = await supporters.link(" ALICE@example.org", ALICE, allow_unlisted=False)
    assert (linked.user_id, linked.email) == (ALICE, "alice@example.org")
    assert linked.verified_at is not None
    again = await supporters.link("alice@example.org", ALICE, allow_unlisted=False)
    assert (again.id, again.user_id) == (linked.id, ALICE)

    # Another account cannot take the address: the person must contact the admins.
    await refused(
        "supporter.linked_elsewhere",
        supporters.link("alice@example.org", BOB, allow_unlisted=True),
    )
    # This account cannot take a second address; the refusal does not say which it has.
    already = await refused(
        "supporter.already_linked", supporters.link("bob@example.org", ALICE, allow_unlisted=False)
    )
    assert already.params == {}
    await refused(
        "supporter.already_linked",
        supporters.link("new@example.org", ALICE, allow_unlisted=True),
    )
    assert (await supporters.find_by_email("bob@example.org")).user_id is None  # type: ignore[union-attr]
    assert await supporters.find_by_email("new@example.org") is None


async def test_an_open_campaign_takes_unlisted_addresses(world: World) -> None:
    supporters = world.supporters
    joined = await supporters.link("Dave@Example.org", DAVE, allow_unlisted=True)
    assert (joined.email, joined.source, joined.user_id, joined.name) == (
        "dave@example.org",
        SupporterSource.OPEN,
        DAVE,
        "",
    )
    assert joined.verified_at is not None
    # The list's later import fills the name in; the account stays.
    updated, created = await supporters.upsert("dave@example.org", "Dave", "13001")
    assert not created and (updated.user_id, updated.source, updated.name) == (
        DAVE,
        SupporterSource.OPEN,
        "Dave",
    )


async def test_one_account_linking_two_addresses_at_once_gets_one(world: World) -> None:
    supporters = world.supporters
    for address in ("a@example.org", "b@example.org", "c@example.org"):
        await supporters.upsert(address)
    results = await asyncio.gather(
        *(
            supporters.link(address, ALICE, allow_unlisted=False)
            for address in ("a@example.org", "b@example.org", "c@example.org")
        ),
        return_exceptions=True,
    )
    linked = [result for result in results if not isinstance(result, BaseException)]
    assert len(linked) == 1
    for result in results:
        if isinstance(result, BaseException):
            assert isinstance(result, SupporterError) and result.key == "supporter.already_linked"


async def test_home_and_language_need_a_linked_account(world: World) -> None:
    supporters = world.supporters
    await refused(
        "supporter.not_linked", supporters.set_home(BOB, "Lyon", "69003", 45.7, 4.8, "commune")
    )
    await refused("supporter.not_linked", supporters.set_language(BOB, "en"))
    await supporters.link("bob@example.org", BOB, allow_unlisted=True)
    home = await supporters.set_home(BOB, "Lyon 3e Arrondissement", "69003", 45.76, 4.85, "commune")
    assert (home.home_commune, home.home_postcode, home.home_latitude, home.home_precision) == (
        "Lyon 3e Arrondissement",
        "69003",
        45.76,
        "commune",
    )
    assert (await supporters.set_language(BOB, " EN ")).language == "en"
    wrong = await refused("supporter.language.invalid", supporters.set_language(BOB, "de"))
    assert wrong.params == {"language": "de", "languages": "fr, en"}


# --- A person's data ----------------------------------------------------------------------------


async def add_codes_and_conversation(world: World, user_id: str, email: str) -> None:
    """What the verification and the welcome bot store (written here as their modules do)."""
    db = world.teams.repository.db
    now = 1_800_000_000_000
    await db.execute(
        "INSERT INTO email_code (user_id, email, code_hash, created_at, expires_at, attempts)"
        " VALUES ($1, $2, $3, $4, $5, 2)",
        user_id,
        email,
        SECRET_HASH,
        now,
        now + 900_000,
    )
    for offset in (0, 1000):
        await db.execute(
            "INSERT INTO email_sent (email, user_id, sent_at) VALUES ($1, $2, $3)",
            email,
            user_id,
            now + offset,
        )
    await db.execute(
        "INSERT INTO joining (user_id, room_id, step, data, started_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $5)",
        user_id,
        "!dm:localhost",
        "place",
        json.dumps({"email": email, "code_hash": SECRET_HASH, "offered": ["t1"]}),
        now,
    )


async def lyon_team_with_an_event(world: World) -> tuple[Team, str]:
    """Alice's team (Alice referent, Bob manager, Carol member) and an event Bob goes to."""
    teams = world.teams
    team = await teams.create_team_at("Équipe Lyon 3", "local", "69003", ALICE)
    for member in (BOB, CAROL):
        await teams.member_joined(team.id, member)
    await teams.change_role(team.id, ALICE, BOB, Role.MANAGER)
    start = datetime.now().astimezone() + timedelta(days=3)
    event = await world.events.create_event(
        team.id, ALICE, "Porte-à-porte", start, EventPlace("Lyon")
    )
    await world.events.rsvp(event.id, BOB, going=True, guests=1)
    await world.events.rsvp(event.id, ALICE, going=True)
    return team, event.id


async def test_profile_is_what_the_person_may_see_of_themself(world: World) -> None:
    supporters = world.supporters
    team, event_id = await lyon_team_with_an_event(world)
    await supporters.upsert("bob@example.org", "Bob", "69003")
    await supporters.link("bob@example.org", BOB, allow_unlisted=False)
    await supporters.set_home(BOB, "Lyon 3e Arrondissement", "69003", 45.76, 4.85, "point")
    profile = await supporters.profile(BOB)
    assert {key: profile[key] for key in ("linked", "email", "name", "postcode", "home")} == {
        "linked": True,
        "email": "bob@example.org",
        "name": "Bob",
        "postcode": "69003",
        "home": {"commune": "Lyon 3e Arrondissement", "postcode": "69003"},  # no coordinates
    }
    assert [(t["team_id"], t["role"]) for t in profile["teams"]] == [(team.id, "manager")]
    assert [(r["event_id"], r["guests"]) for r in profile["rsvps"]] == [(event_id, 1)]
    later = await supporters.profile(BOB, now=datetime.now().astimezone() + timedelta(days=10))
    assert later["rsvps"] == []
    json.dumps(profile)

    stranger = await supporters.profile(DAVE)
    assert (stranger["linked"], stranger["email"], stranger["teams"], stranger["rsvps"]) == (
        False,
        None,
        [],
        [],
    )


async def test_forget_erases_everything_and_the_team_keeps_a_referent(world: World) -> None:
    supporters, teams = world.supporters, world.teams
    team, event_id = await lyon_team_with_an_event(world)
    thematic = await teams.create_team_at("Santé", "thematic", None, BOB)
    await teams.member_joined(thematic.id, ALICE)
    await teams.repository.set_room(team.id, "!lyon:localhost")
    await supporters.upsert("alice@example.org", "Alice", "69003")
    await supporters.link("alice@example.org", ALICE, allow_unlisted=False)
    await add_codes_and_conversation(world, ALICE, "alice@example.org")
    # Someone else asked codes for Alice's address, and Alice for another address.
    db = teams.repository.db
    await db.execute(
        "INSERT INTO email_sent (email, user_id, sent_at) VALUES ($1, $2, 1), ($3, $4, 2)",
        "alice@example.org",
        DAVE,
        "other@example.org",
        ALICE,
    )
    await add_codes_and_conversation(world, CAROL, "carol@example.org")
    queue = RoomSyncQueue(db)
    for request in await queue.due():
        await queue.done(request)

    report = await supporters.forget(ALICE)

    assert report.supporter and report.joining
    assert (report.team_memberships, report.rsvps, report.email_codes) == (2, 1, 1)
    assert report.email_sent == 4  # 3 lines of her address erased, her name taken off 1 other
    erased = report.erased()
    assert erased["reminder"] >= 1  # the RSVP scheduled event reminders; they go with it
    assert {kind: count for kind, count in erased.items() if kind != "reminder"} == {
        "supporter": 1,
        "team_memberships": 2,
        "rsvps": 1,
        "email_codes": 1,
        "email_sent": 4,
        "joining": 1,
        "alert_subscription": 0,
        "alert_delivery": 0,
        "search_page": 0,
        "direct_room": 0,
        "reminder_settings": 0,
    }
    assert [team.name for team in report.teams] == ["Équipe Lyon 3", "Santé"]
    exits = {exit.team_id: exit for exit in report.teams}
    # Alice was Lyon's only referent: Bob, its longest-standing manager, took over.
    assert exits[team.id].promoted == BOB and exits[thematic.id].promoted is None
    assert report.room_ids == ["!lyon:localhost"]  # Santé has no room yet
    assert {member.user_id: member.role for member in await teams.members(team.id)} == {
        BOB: Role.REFERENT,
        CAROL: Role.MEMBER,
    }
    assert {request.team_id for request in await queue.due()} == {team.id, thematic.id}

    assert await supporters.by_user(ALICE) is None
    assert await supporters.find_by_email("alice@example.org") is None
    await refused("supporter.not_found", supporters.export(ALICE))
    await refused("supporter.not_found", supporters.export("alice@example.org"))
    assert [r.user_id for r in await world.events.events.rsvps(event_id)] == [BOB]
    left = await db.fetch("SELECT email, user_id FROM email_sent ORDER BY sent_at")
    assert sorted((row["email"], row["user_id"]) for row in left) == [
        ("carol@example.org", CAROL),
        ("carol@example.org", CAROL),
        ("other@example.org", ""),
    ]
    assert await db.fetchval("SELECT COUNT(*) FROM email_code") == 1  # Carol's
    assert await db.fetchval("SELECT COUNT(*) FROM joining") == 1  # Carol's

    again = await supporters.forget(ALICE)
    assert not again.anything and again.room_ids == []


async def test_forget_the_only_member_of_a_team(world: World) -> None:
    team = await world.teams.create_team_at("Seule", "thematic", None, DAVE)
    report = await world.supporters.forget(DAVE)
    assert [(e.team_id, e.promoted) for e in report.teams] == [(team.id, None)]
    assert not report.supporter
    assert await world.teams.members(team.id) == []


async def test_export_is_everything_known_and_never_a_code_hash(world: World) -> None:
    supporters = world.supporters
    team, event_id = await lyon_team_with_an_event(world)
    await supporters.upsert("Bob@Example.org", "Bob", "69003")
    await supporters.link("bob@example.org", BOB, allow_unlisted=False)
    await supporters.set_home(BOB, "Lyon 3e Arrondissement", "69003", 45.76, 4.85, "point")
    await add_codes_and_conversation(world, BOB, "bob@example.org")

    by_user = await supporters.export(BOB)
    by_email = await supporters.export(" BOB@example.org ")
    by_user.pop("exported_at"), by_email.pop("exported_at")
    assert by_user == by_email
    text = json.dumps(by_user)
    assert SECRET_HASH not in text and "code_hash" not in text

    row = by_user["supporter"]
    assert (row["email"], row["name"], row["user_id"], row["source"]) == (
        "bob@example.org",
        "Bob",
        BOB,
        "import",
    )
    assert (row["home_latitude"], row["home_longitude"]) == (45.76, 4.85)  # the person's own data
    assert [(t["team_id"], t["role"]) for t in by_user["teams"]] == [(team.id, "manager")]
    assert [(r["event_id"], r["going"], r["guests"]) for r in by_user["rsvps"]] == [
        (event_id, True, 1)
    ]
    assert by_user["email_codes"] == [
        {
            "email": "bob@example.org",
            "created_at": 1_800_000_000_000,
            "expires_at": 1_800_000_900_000,
            "attempts": 2,
        }
    ]
    assert len(by_user["email_sent"]) == 2
    assert by_user["joining"]["step"] == "place"
    assert by_user["joining"]["data"] == {"email": "bob@example.org", "offered": ["t1"]}

    # Someone the list does not have, but who is in a team, is known too.
    carol = await supporters.export(CAROL)
    assert carol["supporter"] is None and [t["role"] for t in carol["teams"]] == ["member"]
    await refused("supporter.not_found", supporters.export("@nobody:localhost"))
    await refused("supporter.not_found", supporters.export("nobody@example.org"))
    await refused("supporter.email.invalid", supporters.export("nobody"))
