"""What an event announcement says, in French and English."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bots.announcements import announcement_content, replacement
from bots.i18n import format_time_range
from bridge.db.events import Event, EventKind, EventStatus, Visibility

PARIS = ZoneInfo("Europe/Paris")


def ms(*parts: int) -> int:
    return int(datetime(*parts, tzinfo=PARIS).timestamp() * 1000)  # type: ignore[misc]


def event(**changes: object) -> Event:
    values: dict[str, object] = {
        "id": "k3f9q2", "team_id": "t", "title": "Porte-à-porte", "description": "",
        "kind": EventKind.ACTION,
        "start_at": ms(2026, 12, 1, 18, 30), "end_at": ms(2026, 12, 1, 20),
        "timezone": "Europe/Paris", "place": "12 rue Secrète, 69009 Lyon", "commune": None,
        "postcode": None, "latitude": None, "longitude": None, "precision": None,
        "visibility": Visibility.MEMBERS, "capacity": None, "status": EventStatus.CONFIRMED,
        "organizer": "@alice:localhost", "sequence": 0, "created_at": 0, "updated_at": 0,
    }  # fmt: skip
    values.update(changes)
    return Event(**values)  # type: ignore[arg-type]


def test_time_ranges_read_naturally() -> None:
    start, end = ms(2026, 12, 1, 18, 30), ms(2026, 12, 1, 20)
    assert format_time_range(start, end, PARIS, "fr") == "mardi 1er décembre, 18h30 – 20h00"
    assert format_time_range(start, end, PARIS, "en") == "Tuesday 1 December, 18:30 – 20:00"
    overnight = format_time_range(ms(2026, 12, 31, 22), ms(2027, 1, 1, 2), PARIS, "fr")
    assert overnight == "jeudi 31 décembre, 22h00 – 1er janvier, 2h00"


def test_members_get_the_exact_address_and_how_to_answer() -> None:
    content = announcement_content(event(capacity=12), "fr")
    body = content["body"]
    assert body.splitlines()[0] == "📣 Porte-à-porte"
    assert "12 rue Secrète, 69009 Lyon" in body and "12 places" in body
    assert "!jyvais k3f9q2" in body
    assert content["formatted_body"].startswith("<strong>📣 Porte-à-porte</strong>")
    assert "geo_uri" not in content  # no coordinates, no location


def test_cancelled_announcements_say_so_and_stop_asking() -> None:
    content = announcement_content(event(status=EventStatus.CANCELLED), "en")
    assert content["body"].startswith("❌ CANCELLED: Porte-à-porte")
    assert "!going" not in content["body"]
    edit = replacement("$original", content)
    assert edit["m.relates_to"] == {"rel_type": "m.replace", "event_id": "$original"}
    assert edit["m.new_content"] == content and edit["body"].startswith("* ")
