"""The rules that find dates, times and repetitions in folded text, each a regex and a builder.

Every rule runs over the whole phrase; where matches overlap, the longest wins ("dans 2 heures"
over "2 heures", "tous les mardis" over "mardis"), then the rule listed first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import time

from .duration import DURATION, measure
from .errors import WhenError
from .lexicon import FULL_WEEKDAYS, MONTHS, NUMBER_WORDS, WEEKDAYS, alternation, number
from .model import Frequency
from .parts import (
    Calendar,
    Clock,
    Delta,
    Length,
    MonthDay,
    NextWeek,
    Part,
    Period,
    Range,
    Repeat,
    Shift,
    Weekday,
)

Builder = Callable[[re.Match[str]], Part | tuple[Part, ...] | None]


@dataclass(frozen=True)
class Rule:
    """A regex over folded text and what its matches mean. ``in_search`` is False for the
    rules too eager for free text ("mon", "sam", "jeu" are words too)."""

    pattern: re.Pattern[str]
    build: Builder
    in_search: bool = True


@dataclass(frozen=True)
class Found:
    """One understood piece of the folded text, ``text[start:end]``."""

    start: int
    end: int
    part: Part


# --- Pieces of patterns ------------------------------------------------------------------------

_BEFORE = r"(?<![\w:./])"
_AFTER = r"(?![\w:])"
_ORDINAL = r"(?:er|ere|re|eme|e|st|nd|rd|th)"
_COUNT = rf"\d{{1,4}}|(?:{alternation(NUMBER_WORDS)})(?![a-z])"
_MONTH = alternation(MONTHS)
# "mar 12" reads as "mardi 12" in French: the month-first order (English) leaves "mar" out.
_MONTH_FIRST = alternation(word for word in MONTHS if word != "mar")
_FULL_DAY = alternation(FULL_WEEKDAYS)
_SHORT_DAY = alternation(word for word in WEEKDAYS if word not in FULL_WEEKDAYS)
_DAYS_PLURAL = rf"(?:{_FULL_DAY})s?"
_DAY_LIST = rf"{_DAYS_PLURAL}(?:\s?(?:,|et|and|&)\s?(?:les\s|le\s|on\s)?{_DAYS_PLURAL})*"

_AMPM = r"\d{1,2}(?:[:.]\d{2})?\s?[ap]\.?m\.?(?![a-z])"
_HOURS = (
    r"\d{1,2}\s?(?:h|heures?)(?![a-z])(?:\s?\d{2}(?![\d/.:])|\s?et\s(?:demie?|quart)(?![a-z]))?"
)
_COLON = r"\d{1,2}:\d{2}(?::\d{2})?"
_NAMED = r"midi(?:\s?et\s(?:demie?|quart))?(?![a-z])|minuit|noon|midnight"
_TIME = rf"(?:{_AMPM}|{_HOURS}|{_COLON}|{_NAMED})"

_CLOCK_FORMS = (
    re.compile(r"(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s?(?P<meridiem>[ap])\.?m\.?"),
    re.compile(
        r"(?P<hour>\d{1,2})\s?(?:h|heures?)(?:\s?(?P<minute>\d{2})|\s?et\s(?P<extra>demie?|quart))?"
    ),
    re.compile(r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2})?"),
    re.compile(r"(?P<hour>\d{1,2})"),
)
_NAMED_TIMES = {"midi": 12, "noon": 12, "minuit": 0, "midnight": 0}


def _clock(text: str, *, end_of_range: bool = False) -> Clock:
    """The time of day one of the ``_TIME`` forms (or a bare number) stands for."""
    text = text.strip()
    if text.startswith("midi") and text != "midi":
        return Clock(12, 15 if text.endswith("quart") else 30)
    if text in _NAMED_TIMES:
        return Clock(_NAMED_TIMES[text], 0)
    for form in _CLOCK_FORMS:
        match = form.fullmatch(text)
        if match is None:
            continue
        groups = match.groupdict()
        hour = int(groups["hour"])
        minute = int(groups.get("minute") or 0)
        extra = groups.get("extra")
        if extra:
            minute = 15 if extra == "quart" else 30
        meridiem = groups.get("meridiem")
        if meridiem is not None:
            if not 1 <= hour <= 12:
                raise WhenError("when.invalid_time", time=text)
            hour = hour % 12 + (12 if meridiem == "p" else 0)
            meridiem += "m"
        midnight = end_of_range and hour == 24 and minute == 0
        if (hour > 23 and not midnight) or minute > 59:
            raise WhenError("when.invalid_time", time=text)
        return Clock(hour, minute, meridiem, bare=form is _CLOCK_FORMS[-1])
    raise WhenError("when.invalid_time", time=text)


# --- Builders ----------------------------------------------------------------------------------


def _time(match: re.Match[str]) -> Part:
    return _clock(match[0])


def _range(match: re.Match[str]) -> Part | None:
    if match["sep"] in ("et", "and") and match["intro"] not in ("entre", "between"):
        return None  # "18h et 19h" lists two times
    bare_start, bare_end = match["start"].isdigit(), match["end"].isdigit()
    if match["intro"] is None and (bare_end or (bare_start and match["sep"] in ("a", "et", "and"))):
        return None  # "le 5 à 10h" is a day then a time; "de 5 à 10h", "5-10h" are ranges
    end = _clock(match["end"], end_of_range=True)
    start = _clock(match["start"])
    if start.bare and end.bare and end.hour < start.hour < end.hour + 12:
        end = Clock(end.hour + 12, end.minute, bare=True)  # "from 9 to 5": 09:00 to 17:00
    # "6 to 8pm": a bare start takes the half of the day that puts it closest before the end.
    if start.bare and end.meridiem == "pm" and start.hour + 12 < end.hour:
        start = Clock(start.hour + 12, start.minute, "pm")
    return Range(start, end)


def _at_hour(match: re.Match[str]) -> Part:
    return _clock(match["hour"])


def _iso(match: re.Match[str]) -> Part | tuple[Part, ...]:
    day = Calendar(int(match["day"]), int(match["month"]), int(match["year"]))
    if match["hour"] is None:
        return day
    return day, _clock(f"{match['hour']}:{match['minute']}")


def _numeric_date(match: re.Match[str]) -> Part:
    year = match["year"]
    full_year = None if year is None else int(year) + (2000 if len(year) == 2 else 0)
    return Calendar(int(match["day"]), int(match["month"]), full_year)


def _text_date(match: re.Match[str]) -> Part:
    year = match["year"]
    return Calendar(int(match["day"]), MONTHS[match["month"]], None if year is None else int(year))


def _shift(days: int) -> Builder:
    return lambda match: Shift(days)


def _weekday(match: re.Match[str]) -> Part:
    later = match.groupdict().get("after") or ""
    return Weekday(WEEKDAYS[match["day"]], 1 if "huit" in later else 0)


def _relative(match: re.Match[str]) -> Part | None:
    try:
        length, calendar = measure(match["length"])
    except ValueError:
        return None
    return Shift(days=length.days) if calendar else Delta(length)


def _length(match: re.Match[str]) -> Part | None:
    try:
        length, _ = measure(match["length"])
    except ValueError:
        return None
    return Length(length) if length else None


def _relative_months(match: re.Match[str]) -> Part:
    return Shift(months=number(match["count"]))


_EVENING = Period(time(20), pm_from=5, pm_below=12, late_below=5)
_MORNING = Period(time(9))
_AFTERNOON = Period(time(14), pm_from=1, pm_below=7)


def _period(period: Period, *, today: bool) -> Builder:
    named = replace(period, today=today)
    return lambda match: named


def _interval(word: str | None) -> int:
    return 1 if word is None else number(word)


def _repeat_unit(match: re.Match[str]) -> Part | None:
    interval = _interval(match["count"])
    unit = match["unit"]
    if interval < 1:
        return None
    if unit.startswith(("jour", "day")):
        if interval == 15 and unit.startswith("jour"):  # "tous les quinze jours": fortnightly
            return Repeat(Frequency.WEEKLY, 2)
        if interval % 7 == 0:
            return Repeat(Frequency.WEEKLY, interval // 7)
        return Repeat(Frequency.DAILY, interval)
    if unit.startswith(("semaine", "week")):
        return Repeat(Frequency.WEEKLY, interval)
    return Repeat(Frequency.MONTHLY, interval)


def _days_in(text: str) -> tuple[int, ...]:
    names = re.findall(_FULL_DAY, text)
    return tuple(sorted({WEEKDAYS[name] for name in names}))


def _repeat_days(match: re.Match[str]) -> Part | None:
    plural = re.search(rf"(?:{_FULL_DAY})s(?![a-z])", match["days"]) is not None
    if match["every"] is None and not plural:
        return None  # "lundi et jeudi": two days, not a rule
    interval = _interval(match["count"])
    if interval < 1:
        return None
    return Repeat(Frequency.WEEKLY, interval, _days_in(match["days"]))


def _repeat_one_in(match: re.Match[str]) -> Part | None:
    interval = _interval(match["count"])
    return Repeat(Frequency.WEEKLY, interval, _days_in(match["days"])) if interval > 0 else None


def _repeat(frequency: Frequency, interval: int = 1, days: Sequence[int] = ()) -> Builder:
    return lambda match: Repeat(frequency, interval, tuple(days))


# --- The rules, most specific first ------------------------------------------------------------


def _rule(pattern: str, build: Builder, *, in_search: bool = True) -> Rule:
    return Rule(re.compile(rf"(?<!\w)(?:{pattern})(?!\w)"), build, in_search)


_WORKDAYS = (0, 1, 2, 3, 4)

RULES: tuple[Rule, ...] = (
    # Instants from now, and days from today.
    _rule(rf"(?:dans|in|d'ici)\s(?P<length>{DURATION})", _relative),
    _rule(rf"(?:dans|in|d'ici)\s(?P<count>{_COUNT})\s(?:mois|months?)", _relative_months),
    _rule(rf"(?:pendant|durant|for)\s(?P<length>{DURATION})", _length),
    # Repetitions.
    _rule(
        rf"(?:(?:tous|toutes)\sles|chaque|every|each)\s(?:(?P<count>other|{_COUNT})\s)?"
        r"(?P<unit>jours?|semaines?|mois|days?|weeks?|months?)",
        _repeat_unit,
    ),
    _rule(
        rf"(?:(?P<every>tous\sles|chaque|every|each)\s|(?:les|on)\s)?"
        rf"(?:(?P<count>other|\d{{1,2}})\s)?(?P<days>{_DAY_LIST})",
        _repeat_days,
    ),
    _rule(
        rf"une?\s(?P<days>{_FULL_DAY})\ssur\s(?P<count>{_COUNT})",
        _repeat_one_in,
    ),
    _rule(
        r"(?:tous\sles\s|les\s)?jours\s(?:de\s(?:la\s)?semaine|ouvres|ouvrables)"
        r"|du\slundi\sau\svendredi|en\ssemaine|(?:every|each)\sweekday|(?:on\s)?weekdays",
        _repeat(Frequency.WEEKLY, 1, _WORKDAYS),
    ),
    _rule(r"quotidien(?:ne)?(?:ment)?|daily", _repeat(Frequency.DAILY)),
    _rule(r"hebdo(?:madaire)?(?:ment)?|weekly", _repeat(Frequency.WEEKLY)),
    _rule(r"fortnightly|bimensuel(?:le)?", _repeat(Frequency.WEEKLY, 2)),
    _rule(r"mensuel(?:le)?(?:ment)?|monthly", _repeat(Frequency.MONTHLY)),
    # Dates.
    _rule(
        r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
        r"(?:[t\s](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2}(?:\.\d+)?)?)?",
        _iso,
    ),
    _rule(
        r"(?<![/.:-])(?P<day>\d{1,2})/(?P<month>\d{1,2})(?:/(?P<year>\d{4}|\d{2}))?(?![/\d])",
        _numeric_date,
    ),
    _rule(
        r"(?<![/.:-])(?P<day>\d{1,2})(?P<sep>[.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})"
        r"(?![.-]?\d)",
        _numeric_date,
    ),
    _rule(
        rf"(?P<day>\d{{1,2}}){_ORDINAL}?\s?(?:of\s|de\s)?(?P<month>{_MONTH})\.?"
        r"(?:,?\s(?P<year>\d{4})(?![:h]))?",
        _text_date,
    ),
    _rule(
        rf"(?P<month>{_MONTH_FIRST})\.?\s?(?P<day>\d{{1,2}})(?:st|nd|rd|th|er)?"
        r"(?:,?\s(?P<year>\d{4})(?![:h]))?(?![:./])",
        _text_date,
    ),
    _rule(
        rf"(?:le|the)\s(?P<day>\d{{1,2}}){_ORDINAL}?(?![/.:h])|(?P<day2>\d{{1,2}})"
        r"(?:er|st|nd|rd|th)",
        lambda match: MonthDay(int(match["day"] or match["day2"])),
    ),
    _rule(r"aujourd'?\s?hui|today", _shift(0)),
    _rule(r"demain|tomorrow|tmrw", _shift(1)),
    _rule(r"apres[- ]?demain|(?:the\s)?day\safter\stomorrow", _shift(2)),
    _rule(r"hier|yesterday", _shift(-1)),
    _rule(r"avant[- ]?hier|(?:the\s)?day\sbefore\syesterday", _shift(-2)),
    _rule(
        rf"(?:(?:next|this|coming|ce)\s)?(?P<day>{_FULL_DAY})"
        r"(?:\s(?P<after>prochain|qui\svient|en\shuit))?",
        _weekday,
    ),
    _rule(rf"(?P<day>{_SHORT_DAY})\.?", _weekday, in_search=False),
    _rule(
        r"(?:la\s)?semaine\s(?:prochaine|qui\svient)|(?:la\s)?prochaine\ssemaine|next\sweek",
        lambda match: NextWeek(),
    ),
    # Parts of the day.
    _rule(r"ce\s?soir|tonight|this\s(?:evening|night)", _period(_EVENING, today=True)),
    _rule(r"ce\smatin|this\smorning", _period(_MORNING, today=True)),
    _rule(r"cet(?:te)?\s?apres[- ]?midi|this\safternoon", _period(_AFTERNOON, today=True)),
    _rule(r"soir(?:ee)?|evening|night", _period(_EVENING, today=False)),
    _rule(r"matin(?:ee)?|morning", _period(_MORNING, today=False)),
    _rule(r"apres[- ]?midi|afternoon", _period(_AFTERNOON, today=False)),
    # Times of day.
    _rule(
        rf"{_BEFORE}(?:(?P<intro>de|from|entre|between)\s)?(?P<start>{_TIME}|\d{{1,2}})\s?"
        rf"(?P<sep>-|a|to|until|till|jusqu'a|et|and)\s?(?P<end>{_TIME}|\d{{1,2}}){_AFTER}",
        _range,
    ),
    _rule(rf"{_BEFORE}{_TIME}{_AFTER}", _time),
    _rule(
        r"(?:(?:a|at|vers)\s|@\s?)(?P<hour>\d{1,2})(?![\w:/]|\.\d)"
        r"(?!\s?(?:rue|avenue|av|bd|boulevard|place|allee|chemin|route|impasse|quai|km"
        r"|personnes?|people|euros?|minutes?|min|jours?|days?|semaines?|weeks?|mois|months?"
        r"|ans?|years?)(?![a-z]))",
        _at_hour,
    ),
)


def scan(text: str, *, search: bool = False) -> list[Found]:
    """The pieces understood in folded ``text``, in order, without overlaps.

    Raises:
        WhenError: ``when.invalid_time`` (with the folded ``time``) from a rule that matched
            an impossible time.
    """
    candidates: list[tuple[int, int, int, re.Match[str]]] = []
    for index, rule in enumerate(RULES):
        if search and not rule.in_search:
            continue
        candidates.extend(
            (match.start(), match.end(), index, match) for match in rule.pattern.finditer(text)
        )
    candidates.sort(key=lambda item: (item[0] - item[1], item[2], item[0]))
    taken: list[tuple[int, int]] = []
    found: list[Found] = []
    for start, end, index, match in candidates:
        if start == end or any(
            start < other_end and other_start < end for other_start, other_end in taken
        ):
            continue
        try:
            parts = RULES[index].build(match)
        except WhenError as error:  # an impossible time: the caller quotes it as typed
            raise WhenError(error.key, span=(start, end)) from None
        if parts is None:
            continue
        taken.append((start, end))
        for part in parts if isinstance(parts, tuple) else (parts,):
            found.append(Found(start, end, part))
    found.sort(key=lambda item: item.start)
    return found
