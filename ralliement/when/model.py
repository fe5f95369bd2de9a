"""What the parser answers: a moment (`When`) and how it repeats (`Recurrence`)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

#: RFC 5545 day codes, Monday first (Python's ``date.weekday()`` order).
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: How many steps a monthly rule may take to find a month with its day (a 29 February every
#: twelve months needs up to eight years, across a century that is not leap).
_MONTH_STEPS = 100


def localize(wall: datetime, zone: ZoneInfo) -> datetime:
    """The instant a wall clock in ``zone`` shows ``wall`` (a naive datetime).

    A wall time that does not exist (the hour skipped when clocks go forward, like 02:30 on
    2027-03-28 in Europe/Paris) moves forward by the length of the gap (03:30). A wall time that
    happens twice (02:30 on 2026-10-25, when clocks go back) is the first of the two.

    Returns:
        An aware datetime whose ``tzinfo`` is ``zone``.
    """
    # With fold=0, zoneinfo reads a skipped wall time with the offset from before the change,
    # which lands it after the gap; a repeated one with the offset of its first occurrence.
    # The round trip through UTC then writes it as the wall clock really shows it.
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC).astimezone(zone)


class Frequency(StrEnum):
    """How often a recurrence comes back (the RFC 5545 FREQ values we use)."""

    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"


@dataclass(frozen=True)
class Recurrence:
    """A repetition rule: every ``interval`` days, weeks or months.

    Attributes:
        frequency: days, weeks or months.
        interval: every how many of them (1: each one).
        weekdays: for a weekly rule, the days it falls on, 0 = Monday, sorted.
        month_day: for a monthly rule, the day of the month (months without it are skipped).
        at: the wall-clock time of every occurrence; None for a rule without a time of day
            (all-day occurrences, kept at the wall time of the occurrence given to
            `next_after`).
    """

    frequency: Frequency
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    month_day: int | None = None
    at: time | None = None

    def __post_init__(self) -> None:
        if self.interval < 1:
            raise ValueError(f"interval must be at least 1, not {self.interval}")
        if any(day not in range(7) for day in self.weekdays):
            raise ValueError(f"weekdays are 0 to 6, not {self.weekdays}")
        if tuple(sorted(set(self.weekdays))) != self.weekdays:
            raise ValueError(f"weekdays must be sorted and distinct, not {self.weekdays}")
        if self.weekdays and self.frequency is not Frequency.WEEKLY:
            raise ValueError("weekdays are for a weekly rule")
        if self.month_day is not None and (
            self.frequency is not Frequency.MONTHLY or self.month_day not in range(1, 32)
        ):
            raise ValueError(f"month_day is 1 to 31 and for a monthly rule, not {self.month_day}")

    def rrule(self) -> str:
        """The rule as an RFC 5545 RRULE value, e.g. ``FREQ=WEEKLY;BYDAY=TU``.

        See https://www.rfc-editor.org/rfc/rfc5545#section-3.3.10; the start (DTSTART) carries
        the time of day.
        """
        parts = [f"FREQ={self.frequency.value}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.weekdays:
            parts.append("BYDAY=" + ",".join(RRULE_DAYS[day] for day in self.weekdays))
        if self.month_day is not None:
            parts.append(f"BYMONTHDAY={self.month_day}")
        return ";".join(parts)

    def falls_on(self, day: date) -> bool:
        """Whether the rule can fall on ``day``, ignoring the interval (which needs a start)."""
        if self.frequency is Frequency.WEEKLY and self.weekdays:
            return day.weekday() in self.weekdays
        if self.frequency is Frequency.MONTHLY and self.month_day is not None:
            return day.day == self.month_day
        return True

    def next_after(self, dt: datetime, zone: ZoneInfo) -> datetime:
        """The occurrence that follows ``dt``, an occurrence of this rule.

        The wall-clock time is kept across daylight-saving changes: a weekly 19:00 in
        Europe/Paris is still 19:00 after the last Sunday of October (the real interval is then
        seven days and one hour). Steps follow RFC 5545: a weekly rule with several days goes
        through the days of ``dt``'s week (weeks start on Monday) before jumping ``interval``
        weeks; a monthly rule skips the months that lack its day (the 31st).

        Args:
            dt: an aware datetime, an occurrence of the rule (e.g. the previous start).
            zone: the time zone whose wall clock the rule follows.

        Returns:
            An aware datetime in ``zone``, strictly after ``dt``.
        """
        local = dt.astimezone(zone)
        day = local.date()
        wall = self.at if self.at is not None else local.time()
        following = localize(datetime.combine(self._next_day(day), wall), zone)
        if following.astimezone(UTC) <= dt.astimezone(UTC):  # ``dt`` moved out of a skipped hour
            following = localize(datetime.combine(self._next_day(following.date()), wall), zone)
        return following

    def _next_day(self, day: date) -> date:
        if self.frequency is Frequency.DAILY:
            return day + timedelta(days=self.interval)
        if self.frequency is Frequency.WEEKLY:
            days = self.weekdays or (day.weekday(),)
            later = [weekday for weekday in days if weekday > day.weekday()]
            if later:
                return day + timedelta(days=later[0] - day.weekday())
            monday = day - timedelta(days=day.weekday())
            return monday + timedelta(weeks=self.interval, days=days[0])
        month_day = self.month_day or day.day
        year, month = day.year, day.month
        for _ in range(_MONTH_STEPS):
            month += self.interval
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
            if month_day <= calendar.monthrange(year, month)[1]:
                return date(year, month, month_day)
        raise ValueError(f"{self.rrule()} never falls on a day after {day}")


@dataclass(frozen=True)
class When:
    """A moment understood in a phrase.

    Attributes:
        start: when it starts, aware, in the user's zone (00:00 for an all-day date).
        all_day: a date was given without a time of day.
        duration: the length of a range ("10h-12h"), as really elapsed; None without a range.
        recurrence: how it repeats ("tous les mardis"); ``start`` is then the first occurrence.
        matched: the part of the phrase understood, as typed.
    """

    start: datetime
    all_day: bool = False
    duration: timedelta | None = None
    recurrence: Recurrence | None = None
    matched: str = ""

    @property
    def end(self) -> datetime | None:
        """When a range ends (``start + duration``), or None."""
        if self.duration is None:
            return None
        # In UTC: aware arithmetic within one zone would add wall-clock time.
        return (self.start.astimezone(UTC) + self.duration).astimezone(self.start.tzinfo)
