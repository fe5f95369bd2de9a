"""The calendar feeds mounted as the appservice mounts them, on both engines: what a calendar app
fetches, read back with the ``icalendar`` parser.

The events are dated around next year's DST changes in Paris (last Sundays of March and
October), so the wall times are checked across both boundaries whatever the day the tests run.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from icalendar import Calendar
from icalendar import Event as VEvent

from bridge.calendar import (
    CALENDAR_PREFIX,
    calendar_app,
    event_feed_url,
    public_base_url,
    team_feed_urls,
    webcal_url,
)
from bridge.db.clock import now_ms
from bridge.db.events import Event, EventRepository
from bridge.db.teams import Team
from bridge.domain.events import EventChanges, EventPlace, EventService
from bridge.domain.roles import Role
from bridge.domain.teams import TeamService
from ralliement.config import ConfigError, load_config

PARIS = ZoneInfo("Europe/Paris")
DOMAIN = "localhost"
ROOM_ID = "!Kq3vX9dLm2Rt8sYw"
ALICE, BOB = "@alice:localhost", "@bob:localhost"
MARKET = EventPlace(
    "Marché de la Croix-Rousse, boulevard de la Croix-Rousse, 69004 Lyon",
    "Lyon 4e Arrondissement",
    "69004",
    45.774412,
    4.831607,
    "address",
)
SECRET_PLACE = EventPlace(
    "Chez Bob, 12 rue d'Austerlitz, 69004 Lyon",
    "Lyon 4e Arrondissement",
    "69004",
    45.773121,
    4.829874,
    "address",
)
EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "example.yaml"


def last_sunday(year: int, month: int) -> date:
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - 6) % 7)


YEAR = datetime.now(UTC).year + 1
SPRING = last_sunday(YEAR, 3)  # 02:00 → 03:00 in Paris
AUTUMN = last_sunday(YEAR, 10)  # 03:00 → 02:00 in Paris


def paris(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


@dataclass
class Clock:
    """Real time moved by ``offset`` (events store real times of change)."""

    offset: timedelta = timedelta()

    def __call__(self) -> int:
        return now_ms() + int(self.offset.total_seconds() * 1000)


@dataclass
class Setup:
    client: TestClient[Any, Any]
    events: EventService
    team: Team
    token: str
    clock: Clock
    #: Before the spring change (UTC+1), on its day (UTC+2), and members-only on the autumn one.
    saturday: Event
    sunday: Event
    meeting: Event
    base: str = field(init=False)

    def __post_init__(self) -> None:
        self.base = str(self.client.make_url("/"))

    @property
    def public(self) -> str:
        return team_feed_urls(self.base, self.team.id, self.token)[0]

    @property
    def private(self) -> str:
        return team_feed_urls(self.base, self.team.id, self.token)[1]


@pytest.fixture
async def setup(service: TeamService) -> AsyncIterator[Setup]:
    teams = service.repository
    team = await service.create_team_at("Équipe Croix-Rousse", "local", "69004", ALICE)
    await teams.set_room(team.id, ROOM_ID)
    await service.member_joined(team.id, BOB)
    await service.change_role(team.id, ALICE, BOB, Role.MANAGER)
    team = await service.get_team(team.id)
    repository = EventRepository(teams.db)
    events = EventService(repository, teams)
    saturday = await events.create_event(
        team.id,
        BOB,
        "Tractage au marché",
        paris(SPRING - timedelta(days=1), 10),
        MARKET,
        description="Tracts et café.\nRendez-vous devant la fontaine.",
    )
    sunday = await events.create_event(
        team.id, ALICE, "Porte-à-porte", paris(SPRING, 10), MARKET, kind="meeting"
    )
    meeting = await events.create_event(
        team.id,
        ALICE,
        "Réunion d'équipe",
        paris(AUTUMN, 10),
        SECRET_PLACE,
        end=paris(AUTUMN, 12),
        visibility="members",
        kind="meeting",
    )
    token = await teams.calendar_token(team.id)
    assert token is not None
    clock = Clock()
    root = web.Application()
    root.add_subapp(CALENDAR_PREFIX, calendar_app(teams, repository, DOMAIN, clock=clock))
    async with TestClient(TestServer(root)) as client:
        yield Setup(client, events, team, token, clock, saturday, sunday, meeting)


@dataclass
class Answer:
    status: int
    headers: Any
    body: bytes

    @property
    def calendar(self) -> Calendar:
        assert self.status == 200, self.body
        assert self.headers["Content-Type"] == "text/calendar; charset=utf-8"
        return Calendar.from_ical(self.body)

    @property
    def vevents(self) -> dict[str, VEvent]:
        """The VEVENTs by event id (the UID's part before ``@``)."""
        found: dict[str, VEvent] = {}
        for component in self.calendar.events:
            event_id, _, domain = str(component["UID"]).partition("@")
            assert domain == DOMAIN
            found[event_id] = component
        return found


async def get(setup: Setup, url: str, **headers: str) -> Answer:
    async with setup.client.session.get(url, headers=headers) as response:
        return Answer(response.status, response.headers, await response.read())


def start_of(vevent: VEvent) -> datetime:
    start = vevent.start
    assert isinstance(start, datetime)  # not a whole-day event
    return start


def utc_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


async def test_the_public_feed_lists_public_events_only(setup: Setup) -> None:
    answer = await get(setup, setup.public)
    calendar = answer.calendar
    assert str(calendar["PRODID"]) == "-//Ralliement//FR"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Équipe Croix-Rousse"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Paris"
    assert answer.body.count(b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n") == 1
    assert answer.body.count(b"X-PUBLISHED-TTL:PT1H\r\n") == 1
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    vevents = answer.vevents
    assert set(vevents) == {setup.saturday.id, setup.sunday.id}
    for secret in (b"Chez Bob", b"Austerlitz", "Réunion".encode(), setup.meeting.id.encode()):
        assert secret not in answer.body
    assert "public" in answer.headers["Cache-Control"]

    saturday = vevents[setup.saturday.id]
    assert str(saturday["SUMMARY"]) == "Tractage au marché"
    assert str(saturday["DESCRIPTION"]) == "Tracts et café.\nRendez-vous devant la fontaine."
    assert str(saturday["LOCATION"]) == MARKET.text
    assert saturday.decoded("GEO") == (45.774412, 4.831607)
    assert str(saturday["STATUS"]) == "CONFIRMED"
    assert saturday["SEQUENCE"] == 0
    assert str(saturday["URL"]) == f"https://matrix.to/#/{ROOM_ID}?via={DOMAIN}"
    assert saturday.categories == ["action"]
    assert vevents[setup.sunday.id].categories == ["meeting"]
    updated = datetime.fromtimestamp(setup.saturday.updated_at // 1000, UTC)
    assert saturday.stamp == updated
    assert saturday.last_modified == updated
    assert saturday.end - saturday.start == timedelta(hours=2)


async def test_wall_times_stay_at_10_in_paris_across_dst(setup: Setup) -> None:
    answer = await get(setup, setup.private)
    vevents = answer.vevents
    starts = {event_id: start_of(vevent) for event_id, vevent in vevents.items()}
    expected_utc = {
        setup.saturday.id: (SPRING - timedelta(days=1), 9),  # CET, UTC+1
        setup.sunday.id: (SPRING, 8),  # CEST, UTC+2
        setup.meeting.id: (AUTUMN, 9),  # CET again
    }
    for event_id, (day, utc_hour) in expected_utc.items():
        start = starts[event_id]
        assert (start.date(), start.hour, start.minute) == (day, 10, 0)
        assert str(start.tzinfo) == "Europe/Paris"
        assert start.astimezone(UTC).hour == utc_hour
    text = answer.body.decode()
    assert f"DTSTART;TZID=Europe/Paris:{SPRING:%Y%m%d}T100000" in text
    # An app that knows no IANA names reads the VTIMEZONE: it must give the same instants.
    zone = answer.calendar.timezones[0].to_tz()
    for event_id, start in starts.items():
        wall = start.replace(tzinfo=zone)
        assert wall.utcoffset() == start.utcoffset(), event_id


async def test_the_private_feed_has_members_only_events_and_their_exact_place(
    setup: Setup,
) -> None:
    answer = await get(setup, setup.private)
    vevents = answer.vevents
    assert set(vevents) == {setup.saturday.id, setup.sunday.id, setup.meeting.id}
    meeting = vevents[setup.meeting.id]
    assert str(meeting["SUMMARY"]) == "Réunion d'équipe"
    assert str(meeting["LOCATION"]) == "Chez Bob, 12 rue d'Austerlitz, 69004 Lyon"
    assert meeting.decoded("GEO") == (45.773121, 4.829874)
    assert meeting.end - meeting.start == timedelta(hours=2)
    assert "private" in answer.headers["Cache-Control"]
    assert "DESCRIPTION" not in meeting  # none given


async def test_wrong_tokens_and_unknown_ids_are_404_and_say_nothing(
    setup: Setup, service: TeamService
) -> None:
    other = await service.create_team_at("Équipe Santé", "thematic", None, ALICE)
    other_token = await service.repository.calendar_token(other.id)
    assert other_token is not None
    _, private_other = team_feed_urls(setup.base, other.id, other_token)
    assert (await get(setup, private_other)).status == 200
    meeting, public = setup.meeting.id, setup.saturday.id
    wrong = [
        team_feed_urls(setup.base, setup.team.id, setup.token + "x")[1],
        team_feed_urls(setup.base, setup.team.id, setup.token[:-1])[1],
        team_feed_urls(setup.base, setup.team.id, other_token)[1],
        team_feed_urls(setup.base, "no-such-team", setup.token)[0],
        team_feed_urls(setup.base, "no-such-team", setup.token)[1],
        event_feed_url(setup.base, meeting),
        event_feed_url(setup.base, meeting, "wrong"),
        event_feed_url(setup.base, meeting, other_token),
        event_feed_url(setup.base, "zzzzzz"),
        event_feed_url(setup.base, "zzzzzz", setup.token),
    ]
    bodies = set()
    for url in wrong:
        answer = await get(setup, url)
        assert answer.status == 404, url
        bodies.add(answer.body)
    assert bodies == {b"No such calendar.\n"}

    one = (await get(setup, event_feed_url(setup.base, meeting, setup.token))).vevents
    assert list(one) == [meeting]
    assert str(one[meeting]["LOCATION"]) == SECRET_PLACE.text
    shared = (await get(setup, event_feed_url(setup.base, public.upper()))).vevents
    assert list(shared) == [public]


async def test_a_cancelled_event_stays_30_days_as_cancelled(setup: Setup) -> None:
    await setup.events.cancel_event(setup.saturday.id, BOB)
    for url in (setup.public, setup.private, event_feed_url(setup.base, setup.saturday.id)):
        vevent = (await get(setup, url)).vevents[setup.saturday.id]
        assert str(vevent["STATUS"]) == "CANCELLED"
        assert vevent["SEQUENCE"] == 1
    assert str((await get(setup, setup.public)).vevents[setup.sunday.id]["STATUS"]) == "CONFIRMED"

    setup.clock.offset = timedelta(days=31)
    assert set((await get(setup, setup.public)).vevents) == {setup.sunday.id}
    # Its own feed still answers, so an imported copy still learns it is cancelled.
    single = (await get(setup, event_feed_url(setup.base, setup.saturday.id))).vevents
    assert str(single[setup.saturday.id]["STATUS"]) == "CANCELLED"


async def test_past_events_leave_the_feed_30_days_after_they_end(setup: Setup) -> None:
    after_autumn = datetime.fromtimestamp(setup.meeting.end_at / 1000, UTC) - datetime.now(UTC)
    setup.clock.offset = after_autumn + timedelta(days=29)
    assert set((await get(setup, setup.private)).vevents) == {setup.meeting.id}
    setup.clock.offset = after_autumn + timedelta(days=31)
    assert (await get(setup, setup.private)).vevents == {}
    assert (await get(setup, setup.private)).calendar.timezones == []


async def test_an_edit_bumps_the_sequence_and_the_etag(setup: Setup) -> None:
    first = await get(setup, setup.public)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and etag.endswith('"')

    unchanged = await get(setup, setup.public, **{"If-None-Match": etag})
    assert (unchanged.status, unchanged.body) == (304, b"")
    assert unchanged.headers["ETag"] == etag
    assert (await get(setup, setup.public, **{"If-None-Match": f"W/{etag}, *"})).status == 304
    since = {"If-Modified-Since": modified}
    # A date from the last second is not trusted (a change in the same second has it too).
    assert (await get(setup, setup.public, **since)).status == 200
    setup.clock.offset = timedelta(minutes=1)
    assert (await get(setup, setup.public, **since)).status == 304
    setup.clock.offset = timedelta()
    assert (await get(setup, setup.public, **{"If-None-Match": '"other"'})).status == 200

    new_start = paris(SPRING, 14)
    await setup.events.edit_event(
        setup.sunday.id, ALICE, EventChanges(title="Porte-à-porte, quartier Nord", start=new_start)
    )
    second = await get(setup, setup.public, **{"If-None-Match": etag})
    assert second.status == 200
    assert second.headers["ETag"] != etag
    vevent = second.vevents[setup.sunday.id]
    assert vevent["SEQUENCE"] == 1
    assert str(vevent["SUMMARY"]) == "Porte-à-porte, quartier Nord"
    assert vevent.start == new_start
    assert utc_ms(vevent.last_modified) >= utc_ms(first.vevents[setup.sunday.id].last_modified)


async def test_an_event_made_members_only_leaves_the_public_feed(setup: Setup) -> None:
    first = await get(setup, setup.public)
    hidden = await setup.events.edit_event(
        setup.sunday.id, ALICE, EventChanges(visibility="members")
    )
    # An app that only sends If-Modified-Since gets the new feed too: the date moved.
    later = await get(setup, setup.public, **{"If-Modified-Since": first.headers["Last-Modified"]})
    assert set(later.vevents) == {setup.saturday.id}
    last_modified = parsedate_to_datetime(later.headers["Last-Modified"])
    assert int(last_modified.timestamp()) == hidden.updated_at // 1000
    assert (await get(setup, event_feed_url(setup.base, setup.sunday.id))).status == 404
    assert setup.sunday.id in (await get(setup, setup.private)).vevents


async def test_an_event_feed_answers_304_too(setup: Setup) -> None:
    url = event_feed_url(setup.base, setup.meeting.id, setup.token)
    first = await get(setup, url)
    assert first.status == 200
    again = await get(setup, url, **{"If-None-Match": first.headers["ETag"]})
    assert again.status == 304


def test_links() -> None:
    public, private = team_feed_urls("https://agenda.example.org/", "équipe-lyon", "a/b_c-d")
    assert public == "https://agenda.example.org/_ralliement/calendar/teams/%C3%A9quipe-lyon.ics"
    assert private == (
        "https://agenda.example.org/_ralliement/calendar/teams/%C3%A9quipe-lyon/a%2Fb_c-d.ics"
    )
    assert event_feed_url("https://a.org", "k3f9q2") == (
        "https://a.org/_ralliement/calendar/events/k3f9q2.ics"
    )
    assert event_feed_url("https://a.org", "k3f9q2", "t-_k") == (
        "https://a.org/_ralliement/calendar/events/k3f9q2.ics?token=t-_k"
    )
    assert webcal_url(public).startswith("webcal://agenda.example.org/_ralliement/")


def test_links_use_public_url_else_the_address(tmp_path: Path) -> None:
    environ = {"RALLIEMENT_PICKLE_KEY": "0123456789abcdef0123456789abcdef"}
    path = tmp_path / "config.yaml"
    shutil.copy(EXAMPLE, path)
    config = load_config(path, require_registration=False, environ=environ)
    assert config.appservice.public_url == ""
    assert public_base_url(config.appservice) == "http://127.0.0.1:29330"

    text = EXAMPLE.read_text(encoding="utf-8")
    path.write_text(text.replace('public_url: ""', "public_url: https://agenda.example.org/"))
    config = load_config(path, require_registration=False, environ=environ)
    assert public_base_url(config.appservice) == "https://agenda.example.org"

    path.write_text(text.replace('public_url: ""', "public_url: agenda.example.org"))
    with pytest.raises(ConfigError, match=r"`appservice\.public_url`"):
        load_config(path, require_registration=False, environ=environ)
