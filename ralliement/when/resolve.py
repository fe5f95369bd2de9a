"""Putting the understood pieces of a phrase together into one moment, relative to ``now``."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, UTC, date, datetime, time, timedelta
from typing import NoReturn, TypeVar
from zoneinfo import ZoneInfo

from .errors import WhenError
from .model import Frequency, Recurrence, localize
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
from .rules import Found

P = TypeVar("P", bound=Part)

#: How far a rule's first occurrence is looked for (a monthly 31st needs two months).
_SEARCH_DAYS = 800


@dataclass(frozen=True)
class Moment:
    """A resolved phrase, without the quote of what was understood."""

    start: datetime
    all_day: bool
    duration: timedelta | None
    recurrence: Recurrence | None


def invalid_date(day: int, month: int) -> WhenError:
    return WhenError("when.invalid_date", day=day, month=month)


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, on the last day of the month when it is shorter."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    if not MINYEAR <= year <= MAXYEAR:
        raise OverflowError(f"year {year} is out of range")
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Resolver:
    """Resolves the pieces ``found`` in ``text`` against ``now`` in ``zone``.

    Args:
        found: the understood pieces, in the order of the text.
        now: the current instant, aware.
        zone: the user's time zone.
        quote: the piece as the user typed it (for the refusals that cite it).
        text: the whole phrase as typed.
    """

    def __init__(
        self,
        found: Sequence[Found],
        now: datetime,
        zone: ZoneInfo,
        quote: Callable[[Found], str],
        text: str,
    ) -> None:
        self.found = found
        self.zone = zone
        # Aware datetimes that share a tzinfo compare and subtract by wall clock: every
        # comparison and length here goes through UTC.
        self.now = now.astimezone(UTC)
        self.today = now.astimezone(zone).date()
        self.quote = quote
        self.text = text

    # --- helpers ---------------------------------------------------------------------------

    def conflict(self, first: Found, second: Found) -> NoReturn:
        first, second = sorted((first, second), key=lambda found: found.start)
        raise WhenError(
            "when.ambiguous", text=self.text, first=self.quote(first), second=self.quote(second)
        )

    def of(self, kind: type[P]) -> list[Found]:
        return [found for found in self.found if isinstance(found.part, kind)]

    def single(self, finds: list[Found]) -> Found | None:
        if len(finds) > 1:
            self.conflict(finds[0], finds[1])
        return finds[0] if finds else None

    def at(self, day: date, wall: time | None) -> datetime:
        return localize(datetime.combine(day, wall or time(0)), self.zone)

    def after_now(self, day: date, wall: time | None) -> bool:
        return self.at(day, wall).astimezone(UTC) > self.now

    # --- the whole phrase ------------------------------------------------------------------

    def resolve(self) -> Moment:
        delta = self.single(self.of(Delta))
        length = self.single(self.of(Length))
        lasting = None
        if length is not None:
            assert isinstance(length.part, Length)
            lasting = length.part.delta
        if delta is not None:
            others = [found for found in self.found if found not in (delta, length)]
            if others:
                self.conflict(delta, others[0])
            assert isinstance(delta.part, Delta)
            instant = (self.now + delta.part.delta).astimezone(self.zone)
            return Moment(instant.replace(second=0, microsecond=0), False, lasting, None)

        start_clock, end_clock = self.clocks()
        wall = None if start_clock is None else start_clock.time()
        repeat = self.single(self.of(Repeat))
        weekday = self.single(self.of(Weekday))
        month_days = self.of(MonthDay)
        recurrence = None
        if repeat is not None:
            recurrence = self.rule(repeat, weekday, month_days, wall)
            if recurrence.frequency is Frequency.MONTHLY:
                month_days = []  # "tous les mois le 5": the 5 belongs to the rule
            weekday = None  # "weekly on friday": the day belongs to the rule
        # "ce soir à minuit", "tonight at 1am": the night that follows the evening.
        late = recurrence is None and self.late(wall)
        day = self.day(weekday, month_days, time(23, 59) if late else wall)
        if late:
            day += timedelta(days=1)
        if recurrence is not None:
            anchor = day if self.dated(month_days) else None
            day, recurrence = self.first(recurrence, anchor, wall)
        start = self.at(day, wall)
        duration = lasting
        if end_clock is not None and wall is not None:
            if length is not None:
                ranges = [found for found in self.found if isinstance(found.part, Range)]
                self.conflict(ranges[0], length)
            end = datetime.combine(day, end_clock.time())
            if end_clock.time() <= wall:
                end += timedelta(days=1)
            duration = localize(end, self.zone).astimezone(UTC) - start.astimezone(UTC)
        return Moment(start, wall is None, duration, recurrence)

    def late(self, wall: time | None) -> bool:
        """Whether ``wall`` is in the night after the part of the day named ("ce soir 1h")."""
        return wall is not None and any(
            isinstance(f.part, Period) and wall.hour < f.part.late_below for f in self.found
        )

    def clocks(self) -> tuple[Clock | None, Clock | None]:
        """The time of day (and the end of a range), with the part of the day applied."""
        clock = self.single([f for f in self.found if isinstance(f.part, Clock | Range)])
        period = self.single(self.of(Period))
        start: Clock | None = None
        end: Clock | None = None
        if clock is not None:
            if isinstance(clock.part, Range):
                start, end = clock.part.start, clock.part.end
            elif isinstance(clock.part, Clock):
                start = clock.part
        if period is None:
            return start, end
        assert isinstance(period.part, Period)
        if start is None:
            default = period.part.default
            return Clock(default.hour, default.minute), None
        hours = range(period.part.pm_from, period.part.pm_below)
        if start.meridiem is None and start.hour in hours:
            start = Clock(start.hour + 12, start.minute)
            if end is not None and end.meridiem is None and end.hour in hours:
                end = Clock(end.hour + 12, end.minute)
        return start, end

    # --- days ------------------------------------------------------------------------------

    def dated(self, month_days: list[Found]) -> bool:
        """Whether the phrase names a day (beyond a weekday)."""
        kinds = Calendar | Shift | NextWeek
        return bool(month_days) or any(
            isinstance(f.part, kinds) or (isinstance(f.part, Period) and f.part.today)
            for f in self.found
        )

    def day(self, weekday: Found | None, month_days: list[Found], wall: time | None) -> date:
        """The day of the phrase: every piece that names a day must name the same one."""
        named: list[tuple[Found, date]] = []
        next_week = False
        for found in self.found:
            part = found.part
            if isinstance(part, Calendar):
                named.append((found, self.calendar(part)))
            elif isinstance(part, Shift):
                named.append((found, self.shift(part)))
            elif isinstance(part, Period) and part.today:
                named.append((found, self.today))
            elif isinstance(part, NextWeek):
                monday = self.today + timedelta(days=7 - self.today.weekday())
                if weekday is not None:
                    assert isinstance(weekday.part, Weekday)
                    monday += timedelta(days=weekday.part.weekday + 7 * weekday.part.weeks_later)
                    next_week = True
                named.append((found, monday))
        for found in month_days:
            assert isinstance(found.part, MonthDay)
            named.append((found, self.month_day(found.part.day)))
        if weekday is not None and not next_week:
            assert isinstance(weekday.part, Weekday)
            if named:
                first, day = named[0]
                if day.weekday() != weekday.part.weekday or weekday.part.weeks_later:
                    self.conflict(weekday, first)
            else:
                named.append((weekday, self.weekday(weekday.part, wall)))
        for found, day in named[1:]:
            if day != named[0][1]:
                self.conflict(named[0][0], found)
        if named:
            return named[0][1]
        if wall is not None and self.after_now(self.today, wall):
            return self.today
        return self.today + timedelta(days=1)

    def calendar(self, part: Calendar) -> date:
        longest = calendar.monthrange(2000, part.month)[1] if 1 <= part.month <= 12 else 0
        if not 1 <= part.day <= longest:
            raise invalid_date(part.day, part.month)
        if part.year is not None:
            try:
                return date(part.year, part.month, part.day)
            except ValueError:
                raise invalid_date(part.day, part.month) from None
        for year in range(self.today.year, self.today.year + 9):  # 29/02 every four years
            try:
                day = date(year, part.month, part.day)
            except ValueError:
                continue
            if day >= self.today:
                return day
        raise invalid_date(part.day, part.month)

    def shift(self, part: Shift) -> date:
        return add_months(self.today, part.months) + timedelta(days=part.days)

    def month_day(self, number: int) -> date:
        if not 1 <= number <= 31:
            raise invalid_date(number, self.today.month)
        first = self.today.replace(day=1)
        for months in range(3):
            month = add_months(first, months)
            if number <= calendar.monthrange(month.year, month.month)[1]:
                day = month.replace(day=number)
                if day >= self.today:
                    return day
        raise invalid_date(number, self.today.month)  # unreachable: a 31st within 3 months

    def weekday(self, part: Weekday, wall: time | None) -> date:
        ahead = (part.weekday - self.today.weekday()) % 7
        if ahead == 0 and (wall is None or not self.after_now(self.today, wall)):
            ahead = 7
        return self.today + timedelta(days=ahead + 7 * part.weeks_later)

    # --- repetitions -----------------------------------------------------------------------

    def rule(
        self, repeat: Found, weekday: Found | None, month_days: list[Found], wall: time | None
    ) -> Recurrence:
        """The rule a repetition names, with the weekday or month day given beside it."""
        assert isinstance(repeat.part, Repeat)
        frequency, weekdays = repeat.part.frequency, repeat.part.weekdays
        month_day = None
        if weekday is not None:
            assert isinstance(weekday.part, Weekday)
            if frequency is not Frequency.WEEKLY or weekdays or weekday.part.weeks_later:
                self.conflict(repeat, weekday)
            weekdays = (weekday.part.weekday,)
        if frequency is Frequency.MONTHLY and month_days:
            found = self.single(month_days)
            assert found is not None and isinstance(found.part, MonthDay)
            if not 1 <= found.part.day <= 31:
                raise invalid_date(found.part.day, self.today.month)
            month_day = found.part.day
        return Recurrence(frequency, repeat.part.interval, weekdays, month_day, wall)

    def first(
        self, rule: Recurrence, anchor: date | None, wall: time | None
    ) -> tuple[date, Recurrence]:
        """The first occurrence of ``rule`` after now (and on or after ``anchor``), and the rule
        with its day made explicit (the weekday or the day of the month of that occurrence)."""
        day = anchor or self.today
        for _ in range(_SEARCH_DAYS):
            if rule.falls_on(day) and self.after_now(day, wall):
                break
            day += timedelta(days=1)
        if rule.frequency is Frequency.WEEKLY and not rule.weekdays:
            rule = Recurrence(rule.frequency, rule.interval, (day.weekday(),), None, rule.at)
        if rule.frequency is Frequency.MONTHLY and rule.month_day is None:
            rule = Recurrence(rule.frequency, rule.interval, (), day.day, rule.at)
        return day, rule
