"""The pure rules of event reminders: the stored offsets setting, ids, the report's morning."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bridge.db.events import Event, EventKind, EventStatus, Visibility
from bridge.domain.event_reminders import (
    DEFAULT_OFFSETS,
    attendee_plan,
    attendee_reminder_id,
    event_plan,
    offsets_setting,
    report_due,
)

H = timedelta(hours=1)
PARIS = ZoneInfo("Europe/Paris")


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def event(start: datetime, end: datetime) -> Event:
    return Event(
        id="k3f9q2", team_id="t", title="Tractage", description="", kind=EventKind.ACTION,
        start_at=ms(start), end_at=ms(end), timezone="Europe/Paris", place="Marché",
        commune=None, postcode=None, latitude=None, longitude=None, precision=None,
        visibility=Visibility.PUBLIC, capacity=None, status=EventStatus.CONFIRMED,
        organizer="@alice:localhost", sequence=0, created_at=0, updated_at=0,
    )  # fmt: skip


def test_the_stored_setting_or_the_default() -> None:
    assert offsets_setting(None, DEFAULT_OFFSETS) == (24 * H, H)
    assert offsets_setting("", DEFAULT_OFFSETS) == (24 * H, H)
    assert offsets_setting("???", DEFAULT_OFFSETS) == (24 * H, H)  # unreadable: logged
    assert offsets_setting("off", DEFAULT_OFFSETS) == ()
    assert offsets_setting("2j,1h30", DEFAULT_OFFSETS) == (48 * H, 90 * timedelta(minutes=1))


def test_ids_are_the_same_each_time_and_differ_between_people() -> None:
    first = attendee_reminder_id("k3f9q2", "@bob:localhost", 24 * H)
    assert first == attendee_reminder_id("k3f9q2", "@bob:localhost", 24 * H)
    assert first.startswith("ev-k3f9q2-") and first.endswith("-24h")
    assert first != attendee_reminder_id("k3f9q2", "@carol:localhost", 24 * H)
    assert attendee_reminder_id("k3f9q2", "@bob:localhost", 90 * timedelta(minutes=1)).endswith(
        "-1h30"
    )
    assert len(first) <= 25


def test_only_reminders_still_to_come_are_planned() -> None:
    start = datetime(2026, 11, 21, 10, 0, tzinfo=PARIS)
    saturday = event(start, start + 2 * H)
    friday_noon = ms(datetime(2026, 11, 20, 12, 0, tzinfo=PARIS))
    planned = attendee_plan(saturday, "@bob:localhost", (24 * H, H), friday_noon)
    assert [r.due_at for r in planned] == [ms(start) - 3600_000]
    assert attendee_plan(saturday, "@bob:localhost", (), friday_noon) == []
    assert [r.kind for r in event_plan(saturday, friday_noon)] == ["event_room", "event_report"]
    assert [r.kind for r in event_plan(saturday, ms(start) - 1000)] == ["event_report"]


def test_the_report_comes_the_morning_after() -> None:
    start = datetime(2027, 3, 27, 20, 0, tzinfo=PARIS)  # the evening before summer time
    assert report_due(event(start, start + 2 * H)) == ms(datetime(2027, 3, 28, 10, 0, tzinfo=PARIS))
    night = datetime(2026, 11, 21, 23, 0, tzinfo=PARIS)
    assert report_due(event(night, night + 12 * H)) == ms(
        datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
    )
