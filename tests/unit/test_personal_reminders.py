"""Personal reminders as people type them: the date found in the text (French and English), what
is left to remind, repetitions (across a daylight-saving change), snooze times, bad input; the
words the bot answers with.

"Now" is Thursday 19 November 2026, 14:30 in Paris.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bots.reminders_views import delay_words, length_words, rule_words
from bridge.db.reminders import Reminder
from bridge.domain.errors import DomainError
from bridge.domain.personal_reminders import read_reminder, read_snooze
from bridge.domain.reminder_preferences import (
    PreferenceError,
    format_offsets,
    parse_offsets,
    read_timezone,
)
from bridge.domain.reminders import next_occurrence, recurrence_json
from ralliement.matrix_text import strip_reply_fallback
from ralliement.when import Frequency, Recurrence, WhenError

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 19, 14, 30, tzinfo=PARIS)  # a Thursday

#: (what is typed after !rappel, the local due time, what is left to remind, the repetition)
TABLE: list[tuple[str, str, str, str]] = [
    # French: days and times
    ("demain 9h appeler Marie", "2026-11-20 09:00", "appeler Marie", ""),
    ("appeler Marie demain à 18h", "2026-11-20 18:00", "appeler Marie", ""),
    ("demain à 9h30 : déposer les tracts", "2026-11-20 09:30", "déposer les tracts", ""),
    ("demain midi déjeuner avec Karim", "2026-11-20 12:00", "déjeuner avec Karim", ""),
    ("demain tracts", "2026-11-20 09:00", "tracts", ""),  # a day alone: 09:00
    ("après-demain 8h porte-à-porte", "2026-11-21 08:00", "porte-à-porte", ""),
    ("lundi prochain 18h réunion", "2026-11-23 18:00", "réunion", ""),
    ("lundi 18h réunion", "2026-11-23 18:00", "réunion", ""),
    ("vendredi 19h apéro militant", "2026-11-20 19:00", "apéro militant", ""),
    ("samedi matin marché de la Croix-Rousse", "2026-11-21 09:00", "marché de la Croix-Rousse", ""),
    ("samedi 10h tractage au marché", "2026-11-21 10:00", "tractage au marché", ""),
    ("mardi de la semaine prochaine 20h AG", "2026-11-24 20:00", "AG", ""),
    ("ce soir coller les affiches", "2026-11-19 20:00", "coller les affiches", ""),
    ("ce soir à 21h appeler Sophie", "2026-11-19 21:00", "appeler Sophie", ""),
    ("cet après-midi 16h imprimer les tracts", "2026-11-19 16:00", "imprimer les tracts", ""),
    ("à 17h appeler le journaliste", "2026-11-19 17:00", "appeler le journaliste", ""),
    ("17h30 point presse", "2026-11-19 17:30", "point presse", ""),
    ("le 12/12 à 9h dentiste", "2026-12-12 09:00", "dentiste", ""),
    ("le 1er décembre à 10h vote", "2026-12-01 10:00", "vote", ""),
    ("12 décembre 14h meeting", "2026-12-12 14:00", "meeting", ""),
    ("le 5 à 10h payer la salle", "2026-12-05 10:00", "payer la salle", ""),
    ("d'appeler Paul demain 11h", "2026-11-20 11:00", "appeler Paul", ""),
    # French: lengths from now
    ("dans 2 heures sortir le linge", "2026-11-19 16:30", "sortir le linge", ""),
    ("dans 30 minutes relancer Paul", "2026-11-19 15:00", "relancer Paul", ""),
    ("dans 1h30 rappeler la mairie", "2026-11-19 16:00", "rappeler la mairie", ""),
    ("dans 3 jours commander les affiches", "2026-11-22 09:00", "commander les affiches", ""),
    ("dans 2 jours à 18h réunion de section", "2026-11-21 18:00", "réunion de section", ""),
    # French: repetitions (the first occurrence after now)
    ("tous les mardis à 19h réunion d'équipe", "2026-11-24 19:00", "réunion d'équipe",
     "FREQ=WEEKLY;BYDAY=TU"),
    ("tous les jours à 8h revue de presse", "2026-11-20 08:00", "revue de presse", "FREQ=DAILY"),
    ("chaque lundi à 9h point hebdo", "2026-11-23 09:00", "point hebdo", "FREQ=WEEKLY;BYDAY=MO"),
    ("tous les lundis et jeudis à 18h30 porte-à-porte", "2026-11-19 18:30", "porte-à-porte",
     "FREQ=WEEKLY;BYDAY=MO,TH"),
    ("le 5 de chaque mois à 10h cotisation", "2026-12-05 10:00", "cotisation",
     "FREQ=MONTHLY;BYMONTHDAY=5"),
    ("un mardi sur deux à 19h réunion", "2026-11-24 19:00", "réunion",
     "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
    ("toutes les 2 semaines le vendredi à 17h newsletter", "2026-11-20 17:00", "newsletter",
     "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
    ("tous les mardis arroser les plantes", "2026-11-24 09:00", "arroser les plantes",
     "FREQ=WEEKLY;BYDAY=TU"),
    # English
    ("tomorrow at 9am call Marie", "2026-11-20 09:00", "call Marie", ""),
    ("me tomorrow at 9 to call Bob", "2026-11-20 09:00", "call Bob", ""),
    ("call Marie tomorrow 9am", "2026-11-20 09:00", "call Marie", ""),
    ("about the meeting tomorrow at 10", "2026-11-20 10:00", "the meeting", ""),
    ("in 3 days call Bob", "2026-11-22 09:00", "call Bob", ""),
    ("in 2 hours check the oven", "2026-11-19 16:30", "check the oven", ""),
    ("in 45 minutes leave for the station", "2026-11-19 15:15", "leave for the station", ""),
    ("next monday 6pm meeting", "2026-11-23 18:00", "meeting", ""),
    ("saturday at 10am leafleting", "2026-11-21 10:00", "leafleting", ""),
    ("tonight at 9pm call Sophie", "2026-11-19 21:00", "call Sophie", ""),
    ("this evening post on social media", "2026-11-19 20:00", "post on social media", ""),
    ("dec 12 at 9am dentist", "2026-12-12 09:00", "dentist", ""),
    ("friday noon lunch with Karim", "2026-11-20 12:00", "lunch with Karim", ""),
    ("at 5pm call the journalist", "2026-11-19 17:00", "call the journalist", ""),
    ("every tuesday at 7pm team meeting", "2026-11-24 19:00", "team meeting",
     "FREQ=WEEKLY;BYDAY=TU"),
    ("every day at 8am press review", "2026-11-20 08:00", "press review", "FREQ=DAILY"),
    ("every other week on friday at 5pm newsletter", "2026-11-20 17:00", "newsletter",
     "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
    ("monthly on the 5th at 10am dues", "2026-12-05 10:00", "dues", "FREQ=MONTHLY;BYMONTHDAY=5"),
    ("on weekdays at 7am stretch", "2026-11-20 07:00", "stretch",
     "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
]  # fmt: skip


def test_the_table_has_at_least_40_phrasings() -> None:
    assert len(TABLE) >= 40
    assert sum(1 for typed, *_ in TABLE if any(w in typed for w in ("in ", "every", "tomorrow",
               "tonight", "next", "at "))) >= 15  # fmt: skip


@pytest.mark.parametrize(("typed", "due", "text", "rule"), TABLE)
def test_a_reminder_as_typed(typed: str, due: str, text: str, rule: str) -> None:
    request = read_reminder(typed, NOW, PARIS)
    assert request.start.tzinfo is PARIS
    assert request.start.strftime("%Y-%m-%d %H:%M") == due
    assert request.text == text
    assert (request.recurrence.rrule() if request.recurrence else "") == rule
    if request.recurrence is not None:
        assert request.recurrence.at == request.start.time()  # every occurrence at that time


def reminder_at(start: datetime, rule: Recurrence) -> Reminder:
    return Reminder(
        id="k3f9q2", user_id="@alice:localhost", room_id="!dm:localhost", kind="personal",
        event_id=None, text="réunion", due_at=int(start.timestamp() * 1000),
        timezone="Europe/Paris", recurrence=recurrence_json(rule), status="scheduled",
        occurrence=0, claimed_at=None, sent_at=None, late=False, created_at=0,
    )  # fmt: skip


def local(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, PARIS)


def test_a_weekly_reminder_stays_at_19h_across_the_autumn_change() -> None:
    said = datetime(2026, 10, 19, 12, 0, tzinfo=PARIS)  # a Monday; clocks go back on the 25th
    request = read_reminder("tous les mardis à 19h réunion d'équipe", said, PARIS)
    assert request.start == datetime(2026, 10, 20, 19, 0, tzinfo=PARIS)
    assert request.start.utcoffset() == timedelta(hours=2)
    assert request.recurrence is not None
    following = next_occurrence(reminder_at(request.start, request.recurrence))
    assert following is not None
    assert local(following) == datetime(2026, 10, 27, 19, 0, tzinfo=PARIS)
    assert local(following).utcoffset() == timedelta(hours=1)
    assert following - int(request.start.timestamp() * 1000) == (7 * 24 + 1) * 3600_000


def test_a_daily_reminder_stays_at_8h_across_the_spring_change() -> None:
    said = datetime(2027, 3, 27, 12, 0, tzinfo=PARIS)  # clocks go forward on Sunday the 28th
    request = read_reminder("every day at 8am press review", said, PARIS)
    assert request.recurrence is not None
    current = reminder_at(request.start, request.recurrence)
    times = []
    for _ in range(3):
        times.append(local(current.due_at))
        following = next_occurrence(current)
        assert following is not None
        current = Reminder(**{**current.__dict__, "due_at": following})
    assert [t.strftime("%d %H:%M %z") for t in times] == [
        "28 08:00 +0200", "29 08:00 +0200", "30 08:00 +0200"
    ]  # fmt: skip
    saturday = datetime(2027, 3, 27, 8, 0, tzinfo=PARIS)
    assert times[0].timestamp() - saturday.timestamp() == 23 * 3600  # the short night


def test_a_reminder_in_the_skipped_hour_moves_after_the_gap() -> None:
    said = datetime(2027, 3, 27, 12, 0, tzinfo=PARIS)
    request = read_reminder("demain 2h30 relever les compteurs", said, PARIS)
    assert request.start == datetime(2027, 3, 28, 3, 30, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("appeler Marie", "reminder.when_missing"),
        ("rien du tout", "reminder.when_missing"),
        ("dans 10 secondes", "reminder.when_missing"),  # seconds are not understood
        ("hier 18h appeler Marie", "reminder.past"),
        ("aujourd'hui 10h réunion", "reminder.past"),
        ("aujourd'hui réunion", "reminder.past"),  # today at 09:00, already past at 14:30
        ("demain 9h", "reminder.text_missing"),
        ("every day at 8am", "reminder.text_missing"),
        ("demain 9h " + "x" * 501, "reminder.text_too_long"),
        ("samedi 25h réunion", "when.invalid_time"),
        ("le 31/02 à 9h réunion", "when.invalid_date"),
        ("demain samedi 10h réunion", "when.ambiguous"),  # tomorrow is a Friday
    ],
)
def test_what_is_refused(typed: str, key: str) -> None:
    with pytest.raises(DomainError) as refused:
        read_reminder(typed, NOW, PARIS)
    assert refused.value.key == key


def test_a_refusal_quotes_what_was_typed() -> None:
    with pytest.raises(DomainError) as refused:
        read_reminder("hier à 18h appeler Marie", NOW, PARIS)
    assert refused.value.params == {"when": "hier à 18h"}
    with pytest.raises(DomainError) as refused:
        read_reminder("  appeler Marie ", NOW, PARIS)
    assert refused.value.params == {"text": "appeler Marie"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_is_answered_never_raises_otherwise(typed: str) -> None:
    try:
        request = read_reminder(typed, NOW, PARIS)
    except (DomainError, WhenError):
        return
    assert request.start > NOW and request.text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_snooze_is_answered(typed: str) -> None:
    try:
        due = read_snooze(typed, NOW, PARIS)
    except DomainError:
        return
    assert due > NOW


@pytest.mark.parametrize(
    ("typed", "due"),
    [
        ("1h", "2026-11-19 15:30"),
        ("30 min", "2026-11-19 15:00"),
        ("2 heures", "2026-11-19 16:30"),
        ("1 day", "2026-11-20 14:30"),
        ("demain 9h", "2026-11-20 09:00"),
        ("demain", "2026-11-20 09:00"),
        ("ce soir", "2026-11-19 20:00"),
        ("tomorrow at 8am", "2026-11-20 08:00"),
    ],
)
def test_snooze_for_a_length_or_until_a_moment(typed: str, due: str) -> None:
    assert read_snooze(typed, NOW, PARIS).strftime("%Y-%m-%d %H:%M") == due


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("", "reminder.snooze.missing"),
        ("plus tard", "reminder.snooze.unknown"),
        ("tous les jours", "reminder.snooze.unknown"),
        ("hier", "reminder.past"),
    ],
)
def test_snooze_refusals(typed: str, key: str) -> None:
    with pytest.raises(DomainError) as refused:
        read_snooze(typed, NOW, PARIS)
    assert refused.value.key == key


# --- Preferences -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("24h,1h", "24h,1h"),
        ("1h, 24h", "24h,1h"),
        ("2 jours; 1h30", "2j,1h30"),
        ("48h", "2j"),
        ("30 min", "30min"),
        ("off", "off"),
        ("Non", "off"),
        ("aucun", "off"),
    ],
)
def test_offsets_are_stored_in_one_form(typed: str, stored: str) -> None:
    offsets = parse_offsets(typed)
    assert format_offsets(offsets) == stored
    assert parse_offsets(stored) == offsets


@pytest.mark.parametrize("typed", ["", "bientôt", "24h,x", "0", "15 jours", "3 min"])
def test_offsets_refused(typed: str) -> None:
    if typed == "0":
        assert parse_offsets(typed) == ()  # "0" is "none"
        return
    with pytest.raises(PreferenceError) as refused:
        parse_offsets(typed)
    assert refused.value.key == "reminder.offsets.invalid"


def test_time_zones_as_typed() -> None:
    assert read_timezone(" europe/paris ") == "Europe/Paris"
    assert read_timezone("America/New York") == "America/New_York"
    assert read_timezone("utc") == "UTC"
    with pytest.raises(PreferenceError) as refused:
        read_timezone("Europe/Pariss")
    assert refused.value.key == "reminder.timezone.invalid"
    assert refused.value.params["suggestions"][0] == "Europe/Paris"
    with pytest.raises(PreferenceError):
        read_timezone("../../etc/passwd")


# --- Words -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "french", "english"),
    [
        (Recurrence(Frequency.DAILY, at=time(8)), "tous les jours à 8h00", "every day at 08:00"),
        (Recurrence(Frequency.DAILY, interval=3), "tous les 3 jours", "every 3 days"),
        (Recurrence(Frequency.WEEKLY, weekdays=(1,), at=time(19)), "tous les mardis à 19h00",
         "every Tuesday at 19:00"),
        (Recurrence(Frequency.WEEKLY, weekdays=(0, 3)), "tous les lundis et jeudis",
         "every Monday and Thursday"),
        (Recurrence(Frequency.WEEKLY, interval=2, weekdays=(4,), at=time(17, 30)),
         "un vendredi sur deux à 17h30", "every other Friday at 17:30"),
        (Recurrence(Frequency.WEEKLY, interval=3, weekdays=(0, 2)),
         "toutes les 3 semaines, le lundi et mercredi", "every 3 weeks on Monday and Wednesday"),
        (Recurrence(Frequency.MONTHLY, month_day=1, at=time(10)), "tous les mois le 1er à 10h00",
         "monthly on the 1st at 10:00"),
        (Recurrence(Frequency.MONTHLY, interval=2, month_day=22), "tous les 2 mois le 22",
         "every 2 months on the 22nd"),
    ],
)  # fmt: skip
def test_repetitions_in_words(rule: Recurrence, french: str, english: str) -> None:
    assert rule_words(rule, "fr") == french
    assert rule_words(rule, "en") == english


def test_lengths_in_words() -> None:
    assert length_words(timedelta(minutes=45), "fr") == "45 min"
    assert length_words(timedelta(minutes=90), "fr") == "1 h 30"
    assert length_words(timedelta(hours=24), "fr") == "24 h"
    assert length_words(timedelta(days=3), "fr") == "3 jours"
    assert length_words(timedelta(days=3), "en") == "3 days"
    due = int((NOW + timedelta(hours=2)).timestamp() * 1000)
    assert delay_words(due, NOW, "fr") == "dans 2 h"
    assert delay_words(due, NOW, "en") == "in 2 h"


def test_a_reply_fallback_is_not_the_command() -> None:
    body = "> <@ralliement_rappels:localhost> ⏰ Rappel : tracts\n> ligne 2\n\n!plus-tard 1h"
    assert strip_reply_fallback(body) == "!plus-tard 1h"
    assert strip_reply_fallback("!plus-tard 1h") == "!plus-tard 1h"
    assert strip_reply_fallback("> citation sans réponse") == "> citation sans réponse"


def test_every_refusal_has_its_words_in_both_languages() -> None:
    from bots import reminders as commands
    from bots.i18n import MESSAGES
    from bridge.domain import personal_reminders, reminder_preferences

    keys = {
        value
        for module in (personal_reminders, reminder_preferences, commands)
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str) and value.startswith("reminder.")
    }
    keys |= set(commands._USAGE_OF.values())
    assert len(keys) >= 15
    for key in keys:
        assert set(MESSAGES[key]) == {"fr", "en"}, key
