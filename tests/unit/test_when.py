"""Dates and times in French and English (ralliement.when): the phrases, their refusals,
daylight saving, repetitions, and that no phrase makes the parser fail otherwise."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bots.i18n import translate
from ralliement.when import (
    DURATION_EXAMPLES,
    EXAMPLES,
    Frequency,
    Recurrence,
    When,
    WhenError,
    find_when,
    localize,
    parse_duration,
    parse_when,
)

PARIS = ZoneInfo("Europe/Paris")
# A Thursday afternoon.
NOW = datetime(2026, 11, 19, 14, 30, tzinfo=PARIS)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute)


# phrase, expected wall clock in Paris, all day, duration in minutes, RRULE
CASES: list[tuple[str, datetime, bool, int | None, str | None]] = [
    # French: days and times
    ("demain 18h30", local(2026, 11, 20, 18, 30), False, None, None),
    ("demain à 18h", local(2026, 11, 20, 18), False, None, None),
    ("aujourd'hui 20h", local(2026, 11, 19, 20), False, None, None),
    ("aujourdhui 20h", local(2026, 11, 19, 20), False, None, None),
    ("aujourd’hui 20h", local(2026, 11, 19, 20), False, None, None),
    ("ce soir", local(2026, 11, 19, 20), False, None, None),
    ("ce soir à 9h", local(2026, 11, 19, 21), False, None, None),
    ("demain soir", local(2026, 11, 20, 20), False, None, None),
    ("ce soir à minuit", local(2026, 11, 20), False, None, None),
    ("ce soir à 1h", local(2026, 11, 20, 1), False, None, None),
    ("cet après-midi à 3h", local(2026, 11, 19, 15), False, None, None),
    ("demain matin", local(2026, 11, 20, 9), False, None, None),
    ("demain après-midi 3h", local(2026, 11, 20, 15), False, None, None),
    ("9h du soir", local(2026, 11, 19, 21), False, None, None),
    ("samedi 10h", local(2026, 11, 21, 10), False, None, None),
    ("Samedi 10H", local(2026, 11, 21, 10), False, None, None),
    ("SAMEDI", local(2026, 11, 21), True, None, None),
    ("samedi prochain à 10h", local(2026, 11, 21, 10), False, None, None),
    ("samedi en huit", local(2026, 11, 28), True, None, None),
    ("lundi 9h15", local(2026, 11, 23, 9, 15), False, None, None),
    ("lundi prochain 18h", local(2026, 11, 23, 18), False, None, None),
    ("jeudi 18h", local(2026, 11, 19, 18), False, None, None),  # today, still to come
    ("jeudi 10h", local(2026, 11, 26, 10), False, None, None),  # today, already passed
    ("jeudi", local(2026, 11, 26), True, None, None),
    ("le 12/12 à 9h", local(2026, 12, 12, 9), False, None, None),
    ("12/12 9h", local(2026, 12, 12, 9), False, None, None),
    ("12/12/2026 09:00", local(2026, 12, 12, 9), False, None, None),
    ("12.12.2026", local(2026, 12, 12), True, None, None),
    ("12/01", local(2027, 1, 12), True, None, None),  # already over this year
    ("19/11 10h", local(2026, 11, 19, 10), False, None, None),  # today's date stays today
    ("29/02", local(2028, 2, 29), True, None, None),
    ("12 décembre à 14h", local(2026, 12, 12, 14), False, None, None),
    ("le 3 janvier 2027 à 10h30", local(2027, 1, 3, 10, 30), False, None, None),
    ("1er décembre 18h", local(2026, 12, 1, 18), False, None, None),
    ("samedi 21 novembre", local(2026, 11, 21), True, None, None),
    ("le 5 à 10h", local(2026, 12, 5, 10), False, None, None),
    ("dans 2 heures", local(2026, 11, 19, 16, 30), False, None, None),
    ("dans 1h30", local(2026, 11, 19, 16), False, None, None),
    ("dans une demi-heure", local(2026, 11, 19, 15), False, None, None),
    ("dans 3 jours", local(2026, 11, 22), True, None, None),
    ("dans 2 jours à 18h", local(2026, 11, 21, 18), False, None, None),
    ("dans 2 mois", local(2027, 1, 19), True, None, None),
    ("après-demain 9h", local(2026, 11, 21, 9), False, None, None),
    ("apres demain", local(2026, 11, 21), True, None, None),
    ("midi", local(2026, 11, 20, 12), False, None, None),
    ("demain midi", local(2026, 11, 20, 12), False, None, None),
    ("midi et demie", local(2026, 11, 20, 12, 30), False, None, None),
    ("minuit", local(2026, 11, 20), False, None, None),
    ("9h", local(2026, 11, 20, 9), False, None, None),
    ("9h30", local(2026, 11, 20, 9, 30), False, None, None),
    ("9h 30", local(2026, 11, 20, 9, 30), False, None, None),
    ("9 h 30", local(2026, 11, 20, 9, 30), False, None, None),
    ("9h et quart", local(2026, 11, 20, 9, 15), False, None, None),
    ("21h", local(2026, 11, 19, 21), False, None, None),
    ("18:30", local(2026, 11, 19, 18, 30), False, None, None),
    ("18 heures 30", local(2026, 11, 19, 18, 30), False, None, None),
    ("  demain   18h  ", local(2026, 11, 20, 18), False, None, None),
    ("la semaine prochaine", local(2026, 11, 23), True, None, None),
    ("mardi de la semaine prochaine", local(2026, 11, 24), True, None, None),
    # French: ranges
    ("de 10h à 12h samedi", local(2026, 11, 21, 10), False, 120, None),
    ("samedi 10h-12h", local(2026, 11, 21, 10), False, 120, None),
    ("samedi 10-12h", local(2026, 11, 21, 10), False, 120, None),
    ("entre 18h et 20h30", local(2026, 11, 19, 18), False, 150, None),
    ("demain de 22h à 2h", local(2026, 11, 20, 22), False, 240, None),
    ("ce soir de 8 à 10", local(2026, 11, 19, 20), False, 120, None),
    ("ce soir de 22h à 1h", local(2026, 11, 19, 22), False, 180, None),
    # French: repetitions
    ("tous les mardis à 19h", local(2026, 11, 24, 19), False, None, "FREQ=WEEKLY;BYDAY=TU"),
    ("chaque jour à 8h", local(2026, 11, 20, 8), False, None, "FREQ=DAILY"),
    ("tous les jours à 8h", local(2026, 11, 20, 8), False, None, "FREQ=DAILY"),
    ("tous les mois le 5 à 10h", local(2026, 12, 5, 10), False, None, "FREQ=MONTHLY;BYMONTHDAY=5"),
    ("le 5 de chaque mois", local(2026, 12, 5), True, None, "FREQ=MONTHLY;BYMONTHDAY=5"),
    (
        "tous les mardis et jeudis à 19h",
        local(2026, 11, 19, 19),
        False,
        None,
        "FREQ=WEEKLY;BYDAY=TU,TH",
    ),
    (
        "un mardi sur deux à 19h",
        local(2026, 11, 24, 19),
        False,
        None,
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
    ),
    (
        "toutes les 2 semaines le lundi",
        local(2026, 11, 23),
        True,
        None,
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
    ),
    (
        "tous les 15 jours à 18h",
        local(2026, 11, 19, 18),
        False,
        None,
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
    ),
    ("en semaine à 8h", local(2026, 11, 20, 8), False, None, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ("tous les mardis de 19h à 21h", local(2026, 11, 24, 19), False, 120, "FREQ=WEEKLY;BYDAY=TU"),
    (
        "tous les mardis à partir du 5 janvier",
        local(2027, 1, 5),
        True,
        None,
        "FREQ=WEEKLY;BYDAY=TU",
    ),
    # English
    ("tomorrow 6pm", local(2026, 11, 20, 18), False, None, None),
    ("tomorrow at 18:30", local(2026, 11, 20, 18, 30), False, None, None),
    ("today 8pm", local(2026, 11, 19, 20), False, None, None),
    ("tonight", local(2026, 11, 19, 20), False, None, None),
    ("tonight at 9", local(2026, 11, 19, 21), False, None, None),
    ("tonight at midnight", local(2026, 11, 20), False, None, None),
    ("tomorrow morning", local(2026, 11, 20, 9), False, None, None),
    ("saturday 10am", local(2026, 11, 21, 10), False, None, None),
    ("next saturday at 10", local(2026, 11, 21, 10), False, None, None),
    ("dec 12 9am", local(2026, 12, 12, 9), False, None, None),
    ("12 December at 2pm", local(2026, 12, 12, 14), False, None, None),
    ("december 12th, 2026", local(2026, 12, 12), True, None, None),
    ("the 12th of december", local(2026, 12, 12), True, None, None),
    ("2026-12-12 09:00", local(2026, 12, 12, 9), False, None, None),
    ("2026-12-12T09:00", local(2026, 12, 12, 9), False, None, None),
    ("2026-12-12", local(2026, 12, 12), True, None, None),
    ("in 2 days at 6pm", local(2026, 11, 21, 18), False, None, None),
    ("in 3 hours", local(2026, 11, 19, 17, 30), False, None, None),
    ("in 30 minutes", local(2026, 11, 19, 15), False, None, None),
    ("in an hour", local(2026, 11, 19, 15, 30), False, None, None),
    ("in a week", local(2026, 11, 26), True, None, None),
    ("noon", local(2026, 11, 20, 12), False, None, None),
    ("midnight", local(2026, 11, 20), False, None, None),
    ("monday 9:15am", local(2026, 11, 23, 9, 15), False, None, None),
    ("9.30pm", local(2026, 11, 19, 21, 30), False, None, None),
    ("9 pm", local(2026, 11, 19, 21), False, None, None),
    ("12am", local(2026, 11, 20), False, None, None),
    ("12pm", local(2026, 11, 20, 12), False, None, None),
    ("every tuesday at 7pm", local(2026, 11, 24, 19), False, None, "FREQ=WEEKLY;BYDAY=TU"),
    ("every day at 8am", local(2026, 11, 20, 8), False, None, "FREQ=DAILY"),
    ("daily at 8", local(2026, 11, 20, 8), False, None, "FREQ=DAILY"),
    ("weekly on friday 6pm", local(2026, 11, 20, 18), False, None, "FREQ=WEEKLY;BYDAY=FR"),
    (
        "monthly on the 5th at 10am",
        local(2026, 12, 5, 10),
        False,
        None,
        "FREQ=MONTHLY;BYMONTHDAY=5",
    ),
    ("every other week", local(2026, 11, 20), True, None, "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
    ("on tuesdays at 7pm", local(2026, 11, 24, 19), False, None, "FREQ=WEEKLY;BYDAY=TU"),
    ("every 3 days at 8am", local(2026, 11, 20, 8), False, None, "FREQ=DAILY;INTERVAL=3"),
    ("6pm to 8pm saturday", local(2026, 11, 21, 18), False, 120, None),
    ("saturday 6-8pm", local(2026, 11, 21, 18), False, 120, None),
    ("from 9 to 5", local(2026, 11, 20, 9), False, 480, None),
    ("saturday 10am for 2 hours", local(2026, 11, 21, 10), False, 120, None),
    ("samedi 10h pendant 1h30", local(2026, 11, 21, 10), False, 90, None),
]


@pytest.mark.parametrize(("text", "wall", "all_day", "minutes", "rrule"), CASES)
def test_phrases(
    text: str, wall: datetime, all_day: bool, minutes: int | None, rrule: str | None
) -> None:
    when = parse_when(text, NOW, PARIS)
    assert when.start.tzinfo is PARIS
    assert when.start == localize(wall, PARIS)
    assert when.start.replace(tzinfo=None) == wall
    assert when.all_day is all_day
    assert when.duration == (None if minutes is None else timedelta(minutes=minutes))
    assert (when.recurrence.rrule() if when.recurrence else None) == rrule


def test_the_table_is_large() -> None:
    assert len(CASES) >= 60


def test_now_in_another_zone_reads_the_users_wall_clock() -> None:
    # 23:30 UTC on Thursday is already Friday 00:30 in Paris: "demain" is Saturday.
    now = datetime(2026, 11, 19, 23, 30, tzinfo=UTC)
    when = parse_when("demain 10h", now, PARIS)
    assert when.start == datetime(2026, 11, 21, 10, tzinfo=PARIS)
    assert when.start.tzinfo is PARIS


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("le 12/12 à 9h", "le 12/12 à 9h"),
        ("  demain   18h. ", "demain   18h"),
        ("SAMEDI 10h-12h", "SAMEDI 10h-12h"),
    ],
)
def test_matched_is_quoted_as_typed(text: str, matched: str) -> None:
    assert parse_when(text, NOW, PARIS).matched == matched


# phrase, key, some of the parameters
REFUSALS: list[tuple[str, str, dict[str, object]]] = [
    ("", "when.empty", {}),
    ("   ", "when.empty", {}),
    ("?!", "when.empty", {}),
    ("smedi 10h", "when.unknown", {"text": "smedi"}),
    ("n'importe quoi", "when.unknown", {"text": "n importe quoi"}),
    ("samedi 10", "when.unknown", {"text": "10"}),
    ("le", "when.unknown", {"text": "le"}),
    ("31/02", "when.invalid_date", {"day": 31, "month": 2}),
    ("29/02/2027", "when.invalid_date", {"day": 29, "month": 2}),
    ("12/13", "when.invalid_date", {"day": 12, "month": 13}),
    ("32 décembre", "when.invalid_date", {"day": 32, "month": 12}),
    ("le 45", "when.invalid_date", {"day": 45, "month": 11}),
    ("25h", "when.invalid_time", {"time": "25h"}),
    ("demain 18H75", "when.invalid_time", {"time": "18H75"}),
    ("13pm", "when.invalid_time", {"time": "13pm"}),
    ("99:99", "when.invalid_time", {"time": "99:99"}),
    ("à 25", "when.invalid_time", {"time": "à 25"}),
    ("demain samedi", "when.ambiguous", {"first": "demain", "second": "samedi"}),
    ("samedi 22 novembre", "when.ambiguous", {"first": "samedi", "second": "22 novembre"}),
    ("lundi et mardi", "when.ambiguous", {"first": "lundi", "second": "mardi"}),
    ("18h et 19h", "when.ambiguous", {"first": "18h", "second": "19h"}),
    ("demain dans 2 heures", "when.ambiguous", {"first": "demain", "second": "dans 2 heures"}),
    ("tous les jours le lundi", "when.ambiguous", {"second": "lundi"}),
    ("dans 999999 semaines", "when.too_far", {"text": "dans 999999 semaines"}),
    ("pendant 2 heures", "when.unknown", {"text": "pendant 2 heures"}),
    ("samedi 10h-12h pendant 1h", "when.ambiguous", {"first": "10h-12h", "second": "pendant 1h"}),
    ("x" * 600, "when.unknown", {}),
]


@pytest.mark.parametrize(("text", "key", "params"), REFUSALS)
def test_refusals(text: str, key: str, params: dict[str, object]) -> None:
    with pytest.raises(WhenError) as raised:
        parse_when(text, NOW, PARIS)
    assert raised.value.key == key
    assert params.items() <= raised.value.params.items()
    # Every refusal reads as a sentence in both languages.
    for language in ("fr", "en"):
        assert "{" not in translate(key, language, **raised.value.params)


def test_unknown_shows_examples_in_the_users_language() -> None:
    with pytest.raises(WhenError) as french:
        parse_when("blabla", NOW, PARIS)
    assert french.value.params["examples"] == ", ".join(EXAMPLES["fr"])
    with pytest.raises(WhenError) as english:
        parse_when("tomorrow blabla", NOW, PARIS)
    assert english.value.params["examples"] == ", ".join(EXAMPLES["en"])
    with pytest.raises(WhenError) as hinted:
        parse_when("blabla", NOW, PARIS, language_hint="en")
    assert hinted.value.params["examples"] == ", ".join(EXAMPLES["en"])
    assert translate("when.unknown", "fr", **french.value.params) == (
        "Je ne comprends pas « blabla » dans une date. Par exemple : demain 18h30, samedi 10h, "
        "le 12/12 à 9h, dans 2 heures, samedi 10h-12h, tous les mardis à 19h."
    )


@pytest.mark.parametrize("text", [*EXAMPLES["fr"], *EXAMPLES["en"]])
def test_the_examples_work(text: str) -> None:
    assert parse_when(text, NOW, PARIS).start > NOW


# --- Daylight saving ---------------------------------------------------------------------------


def test_a_skipped_wall_time_moves_forward() -> None:
    when = parse_when("demain 2h30", datetime(2027, 3, 27, 10, tzinfo=PARIS), PARIS)
    assert when.start.replace(tzinfo=None) == local(2027, 3, 28, 3, 30)
    assert when.start.utcoffset() == timedelta(hours=2)


def test_a_repeated_wall_time_is_the_first() -> None:
    when = parse_when("demain 2h30", datetime(2026, 10, 24, 10, tzinfo=PARIS), PARIS)
    assert when.start.replace(tzinfo=None) == local(2026, 10, 25, 2, 30)
    assert when.start.utcoffset() == timedelta(hours=2)
    assert when.start.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_a_range_across_the_change_lasts_what_really_elapses() -> None:
    spring = parse_when("demain 1h-4h", datetime(2027, 3, 27, 10, tzinfo=PARIS), PARIS)
    assert spring.duration == timedelta(hours=2)
    assert spring.end is not None and spring.end.replace(tzinfo=None) == local(2027, 3, 28, 4)
    autumn = parse_when("demain 1h-4h", datetime(2026, 10, 24, 10, tzinfo=PARIS), PARIS)
    assert autumn.duration == timedelta(hours=4)


def test_in_hours_counts_real_time_across_the_change() -> None:
    when = parse_when("dans 2 heures", datetime(2027, 3, 28, 1, 30, tzinfo=PARIS), PARIS)
    assert when.start.replace(tzinfo=None) == local(2027, 3, 28, 4, 30)


def occurrences(when: When, count: int) -> list[datetime]:
    assert when.recurrence is not None
    moments = [when.start]
    while len(moments) < count:
        moments.append(when.recurrence.next_after(moments[-1], PARIS))
    return moments


def test_a_weekly_rule_keeps_its_wall_time_in_october() -> None:
    when = parse_when("tous les mardis à 19h", datetime(2026, 10, 14, tzinfo=PARIS), PARIS)
    moments = occurrences(when, 3)
    assert [m.replace(tzinfo=None) for m in moments] == [
        local(2026, 10, 20, 19),
        local(2026, 10, 27, 19),
        local(2026, 11, 3, 19),
    ]
    assert [m.utcoffset() for m in moments] == [timedelta(hours=2), *[timedelta(hours=1)] * 2]
    assert moments[1].astimezone(UTC) - moments[0].astimezone(UTC) == timedelta(days=7, hours=1)
    assert all(m.tzinfo is PARIS for m in moments)


def test_a_weekly_rule_keeps_its_wall_time_in_march() -> None:
    when = parse_when("every friday at 7pm", datetime(2027, 3, 20, tzinfo=PARIS), PARIS)
    moments = occurrences(when, 3)
    assert [m.replace(tzinfo=None) for m in moments] == [
        local(2027, 3, 26, 19),
        local(2027, 4, 2, 19),
        local(2027, 4, 9, 19),
    ]
    assert moments[1].astimezone(UTC) - moments[0].astimezone(UTC) == timedelta(days=6, hours=23)


def test_a_rule_in_the_skipped_hour_comes_back_to_its_time() -> None:
    when = parse_when("tous les dimanches à 2h30", datetime(2027, 3, 15, tzinfo=PARIS), PARIS)
    assert [m.replace(tzinfo=None) for m in occurrences(when, 3)] == [
        local(2027, 3, 21, 2, 30),
        local(2027, 3, 28, 3, 30),  # 02:30 does not exist that night
        local(2027, 4, 4, 2, 30),
    ]


def test_a_daily_rule_across_the_october_night() -> None:
    when = parse_when("chaque jour à 2h30", datetime(2026, 10, 24, 10, tzinfo=PARIS), PARIS)
    first, second = occurrences(when, 2)
    assert first.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 02:30
    assert second.replace(tzinfo=None) == local(2026, 10, 26, 2, 30)


# --- Repetition rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (Recurrence(Frequency.WEEKLY, weekdays=(1,)), "FREQ=WEEKLY;BYDAY=TU"),
        (Recurrence(Frequency.WEEKLY, 2, (0, 3)), "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH"),
        (Recurrence(Frequency.DAILY), "FREQ=DAILY"),
        (Recurrence(Frequency.DAILY, 3), "FREQ=DAILY;INTERVAL=3"),
        (Recurrence(Frequency.MONTHLY, month_day=5), "FREQ=MONTHLY;BYMONTHDAY=5"),
        (Recurrence(Frequency.MONTHLY, 6, month_day=31), "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=31"),
    ],
)
def test_rrule(rule: Recurrence, text: str) -> None:
    assert rule.rrule() == text


def test_weekly_with_several_days_and_an_interval() -> None:
    rule = Recurrence(Frequency.WEEKLY, 2, (1, 3), at=time(19))
    moment = datetime(2026, 11, 24, 19, tzinfo=PARIS)  # a Tuesday
    found = []
    for _ in range(4):
        moment = rule.next_after(moment, PARIS)
        found.append(moment.date().isoformat())
    assert found == ["2026-11-26", "2026-12-08", "2026-12-10", "2026-12-22"]


def test_monthly_skips_the_months_without_its_day() -> None:
    rule = Recurrence(Frequency.MONTHLY, month_day=31, at=time(10))
    moment = datetime(2027, 1, 31, 10, tzinfo=PARIS)
    found = []
    for _ in range(3):
        moment = rule.next_after(moment, PARIS)
        found.append(moment.date().isoformat())
    assert found == ["2027-03-31", "2027-05-31", "2027-07-31"]


def test_monthly_from_the_31st_finds_its_first_month() -> None:
    when = parse_when("tous les mois le 31 à 10h", NOW, PARIS)
    assert when.start == datetime(2026, 12, 31, 10, tzinfo=PARIS)


@pytest.mark.parametrize(
    "arguments",
    [
        {"frequency": Frequency.DAILY, "interval": 0},
        {"frequency": Frequency.WEEKLY, "weekdays": (7,)},
        {"frequency": Frequency.WEEKLY, "weekdays": (3, 1)},
        {"frequency": Frequency.DAILY, "weekdays": (1,)},
        {"frequency": Frequency.MONTHLY, "month_day": 32},
        {"frequency": Frequency.WEEKLY, "month_day": 5},
    ],
)
def test_an_impossible_rule_is_a_programming_error(arguments: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Recurrence(**arguments)  # type: ignore[arg-type]


# --- Finding a date in a longer phrase ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "wall", "matched"),
    [
        ("appeler Marie demain à 18h", local(2026, 11, 20, 18), "demain à 18h"),
        ("rappel : le 12/12 à 9h réunion", local(2026, 12, 12, 9), "le 12/12 à 9h"),
        ("mon rendez-vous samedi 10h", local(2026, 11, 21, 10), "samedi 10h"),
        ("dans 2 heures sortir le chien", local(2026, 11, 19, 16, 30), "dans 2 heures"),
        ("call Bob tomorrow at 6pm please", local(2026, 11, 20, 18), "tomorrow at 6pm"),
    ],
)
def test_find_when(text: str, wall: datetime, matched: str) -> None:
    when = find_when(text, NOW, PARIS)
    assert when is not None
    assert when.start.replace(tzinfo=None) == wall
    assert when.matched == matched


@pytest.mark.parametrize(
    "text", ["appeler Marie", "", "mon ami Sam joue", "pendant 2 heures", "demain " * 100]
)
def test_find_when_without_a_date(text: str) -> None:
    assert find_when(text, NOW, PARIS) is None


# --- Durations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1h", 60),
        ("30 min", 30),
        ("2 heures", 120),
        ("1h30", 90),
        ("1 h 30", 90),
        ("90 minutes", 90),
        ("2 days", 2 * 24 * 60),
        ("1 semaine", 7 * 24 * 60),
        ("une heure et demie", 90),
        ("une demi-heure", 30),
        ("1,5 h", 90),
        ("1 jour et 2 heures", 26 * 60),
        ("pendant 2 heures", 120),
        ("for 2 hours", 120),
        ("half an hour", 30),
        ("1h 30 min", 90),
        ("3 Jours", 3 * 24 * 60),
    ],
)
def test_parse_duration(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["bientôt", "0 min", "2j30", "demain", "10"])
def test_parse_duration_refusals(text: str) -> None:
    with pytest.raises(WhenError) as raised:
        parse_duration(text)
    assert raised.value.key == "when.duration_unknown"
    assert raised.value.params["examples"] == ", ".join(DURATION_EXAMPLES["fr"])
    assert "{" not in translate("when.duration_unknown", "en", **raised.value.params)


def test_parse_duration_empty() -> None:
    with pytest.raises(WhenError) as raised:
        parse_duration("  ")
    assert raised.value.key == "when.empty"


# --- Any text ----------------------------------------------------------------------------------

ZONES = [
    ZoneInfo(name)
    for name in (
        "Europe/Paris",
        "UTC",
        "America/Santiago",  # changes at midnight
        "Australia/Lord_Howe",  # a half-hour change
        "Pacific/Apia",
        "America/Cayenne",
    )
]
WORDS = (
    "demain",
    "aujourd'hui",
    "après-demain",
    "hier",
    "samedi",
    "lundi",
    "prochain",
    "en",
    "huit",
    "jeudi",
    "mar",
    "sam",
    "le",
    "la",
    "à",
    "de",
    "du",
    "au",
    "et",
    "9h",
    "18h30",
    "10h-12h",
    "6pm",
    "9:15am",
    "midi",
    "minuit",
    "noon",
    "midnight",
    "ce",
    "soir",
    "matin",
    "après-midi",
    "tonight",
    "tomorrow",
    "next",
    "every",
    "tous",
    "les",
    "chaque",
    "mardis",
    "jours",
    "semaines",
    "mois",
    "daily",
    "weekly",
    "monthly",
    "on",
    "the",
    "5th",
    "1er",
    "12/12",
    "31/02",
    "2026-12-12",
    "2026-12-12T09:00",
    "décembre",
    "dec",
    "12",
    "dans",
    "in",
    "2",
    "heures",
    "hours",
    "jours",
    "days",
    "semaine",
    "week",
    "minutes",
    "25h",
    "0",
    "99",
    "-",
    "to",
    "entre",
    "between",
    "from",
    "until",
    ",",
    ".",
    "sur",
    "deux",
    "un",
    "une",
    "demi-heure",
    "quart",
    "d'heure",
    "semaine",
    "prochaine",
    "week-end",
    "at",
    "@",
    "vers",
    "24h",
    "12am",
    "13pm",
)
phrases = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(WORDS), max_size=7).map(" ".join),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=4)), max_size=6).map("".join),
)
nows = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.sampled_from(ZONES)
)


def check(when: When | None, zone: ZoneInfo) -> None:
    if when is None:
        return
    assert when.start.tzinfo is zone
    assert when.start.utcoffset() == zone.utcoffset(when.start)
    assert when.duration is None or when.duration > timedelta(0)
    if when.recurrence is not None:
        following = when.recurrence.next_after(when.start, zone)
        assert following.astimezone(UTC) > when.start.astimezone(UTC)
        assert following.tzinfo is zone


@settings(max_examples=400, deadline=None)
@given(text=phrases, now=nows, zone=st.sampled_from(ZONES))
def test_any_text_gets_an_answer(text: str, now: datetime, zone: ZoneInfo) -> None:
    for read in (parse_when, find_when):
        try:
            when = read(text, now, zone)
        except WhenError:
            continue
        check(when, zone)


@settings(max_examples=200, deadline=None)
@given(text=phrases)
def test_any_text_gets_a_duration_or_a_refusal(text: str) -> None:
    try:
        length = parse_duration(text)
    except WhenError:
        return
    assert length > timedelta(0)


def test_a_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_when("demain", datetime(2026, 11, 19, 14, 30), PARIS)
