"""What each rule understood in a phrase, before those pieces are put together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

from .model import Frequency


@dataclass(frozen=True)
class Clock:
    """A time of day, ``hour`` on 24 hours (24 only for the end of a range, "22h-24h").

    ``meridiem`` is "am"/"pm" when written so; ``bare`` marks a number without unit, allowed as
    the start of a range, which takes its half of the day from the end ("6 to 8pm").
    """

    hour: int
    minute: int
    meridiem: str | None = None
    bare: bool = False  # a number without unit, as the start of a range ("6 to 8pm")

    def time(self) -> time:
        return time(self.hour % 24, self.minute)


@dataclass(frozen=True)
class Range:
    """From one time of day to another ("10h-12h", "6pm to 8pm")."""

    start: Clock
    end: Clock


@dataclass(frozen=True)
class Calendar:
    """A day of a month, with or without the year."""

    day: int
    month: int
    year: int | None = None


@dataclass(frozen=True)
class Shift:
    """A number of days and months from today: "demain", "dans 3 jours", "in 2 months"."""

    days: int = 0
    months: int = 0


@dataclass(frozen=True)
class Weekday:
    """A day of the week, 0 = Monday; ``weeks_later`` for "samedi en huit"."""

    weekday: int
    weeks_later: int = 0


@dataclass(frozen=True)
class NextWeek:
    """ "la semaine prochaine", "next week": the Monday of next week."""


@dataclass(frozen=True)
class MonthDay:
    """A day of the month without the month: "le 5", "the 5th"."""

    day: int


@dataclass(frozen=True)
class Delta:
    """An exact amount of time from now: "dans 2 heures"."""

    delta: timedelta


@dataclass(frozen=True)
class Length:
    """How long it lasts: "pendant 2 heures", "for 2 hours"."""

    delta: timedelta


@dataclass(frozen=True)
class Period:
    """A part of the day ("soir", "tomorrow morning", "ce soir").

    Attributes:
        default: its time when no time is given.
        pm_from, pm_below: the hours it moves to the afternoon ("ce soir à 9h" is 21:00).
        late_below: the hours that belong to the night after it ("ce soir à minuit", "tonight
            at 1am" are the next day).
        today: whether it names today ("ce soir", "tonight").
    """

    default: time
    pm_from: int = 0
    pm_below: int = 0
    late_below: int = 0
    today: bool = False


@dataclass(frozen=True)
class Repeat:
    """How a phrase repeats: "tous les mardis", "every 2 weeks", "monthly"."""

    frequency: Frequency
    interval: int = 1
    weekdays: tuple[int, ...] = ()


Part = (
    Clock
    | Range
    | Calendar
    | Shift
    | Weekday
    | NextWeek
    | MonthDay
    | Delta
    | Length
    | Period
    | Repeat
)
