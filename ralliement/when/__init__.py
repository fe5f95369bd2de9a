"""Dates and times as people write them, in French and English: pure functions, no clock.

`parse_when` reads a phrase that is a date ("samedi 10h-12h", "every tuesday at 7pm");
`find_when` finds one inside a longer phrase ("appeler Marie demain à 18h"); `parse_duration`
reads a length ("1h30"). Callers pass ``now`` (aware) and the user's ``ZoneInfo``; the answer's
``start`` is aware and in that zone. Refusals are `WhenError` with a message key (`errors`).

How phrases are read:

- Case, accents, spaces and apostrophes do not matter: "SAMEDI", "aujourdhui",
  "aujourd’hui" and "Après-demain" are understood. Misspelled words are not ("samdi"):
  `parse_when` refuses a phrase with a word it does not know, quoting that word.
- Abbreviations: "sam", "dim", "lun."…, "sat", "mon"…, "déc", "janv", "dec", "sept"…; "mar"
  alone is mardi, after a day number it is March ("12 mar").
- A weekday ("samedi", "saturday") is its next occurrence strictly after now: said on a
  Thursday at 14:30, "jeudi 18h" is today at 18:00 and "jeudi 10h" or "jeudi" (without a time)
  is in a week. "samedi prochain", "next saturday" and "ce samedi" mean the same as
  "samedi"; "samedi en huit" is the week after; "mardi de la semaine prochaine" is next
  week's.
- A time alone ("9h", "midi", "minuit") is today if it is still to come, otherwise tomorrow.
- A date without a year ("12/12", "12 décembre", "dec 12") is this year, or next year when the
  day is already over (12/01 said in November is next January). Today's date stays today
  even when the time has passed: the caller decides about the past. "le 5" (a day of the month)
  is the next 5th, this month or the next.
- Numeric dates are day first, even in English ("12/11" is 12 November); only ISO dates
  ("2026-12-12", "2026-12-12T09:00") are year first. Two-digit years are 20xx.
- Times: "9h", "9h30", "9h 30", "9 h 30", "9 heures", "9h et demie", "21h", "9:30", "09:00",
  "9am", "9.30pm", "9 pm", "midi", "minuit", "noon", "midnight", and a bare hour after "à",
  "at", "vers" or "@" ("à 10", "at 10" are 10:00: hours on 24 unless a part of the day says).
  Impossible times ("25h", "18h75", "13pm") are refused (``when.invalid_time``).
- Parts of the day: "matin"/"morning" 09:00, "après-midi"/"afternoon" 14:00, "soir"/"evening"/
  "night" 20:00. "ce soir"/"tonight", "ce matin", "cet après-midi" are today. With an hour they
  choose its half of the day: "ce soir à 9h" is 21:00 (5 to 11 in the evening), "demain
  après-midi 3h" is 15:00 (1 to 6 in the afternoon).
  "minuit" is 00:00 at the start of the day named ("demain minuit" is the coming night),
  except after an evening: "ce soir à minuit", "samedi soir 1h", "tonight at 1am" are the
  night that follows it.
- A date without a time is all day (``all_day``, ``start`` at 00:00): "demain", "samedi",
  "dans 3 jours", "la semaine prochaine" (the Monday of next week). A caller that needs an
  instant (a reminder) picks its own hour. "hier" and "yesterday" are understood too: whether
  a moment in the past is allowed is the caller's business, as for "aujourd'hui 9h" at noon.
- "dans 2 heures", "in 30 minutes", "dans 1h30" are exact: now plus that time as really elapsed,
  to the minute. "dans 3 jours", "in 2 weeks", "dans 2 mois" count days on the calendar and can
  take a time ("dans 2 jours à 18h").
- Ranges give a ``duration``: "10h-12h", "de 10h à 12h", "entre 10h et 12h", "6pm to 8pm",
  "6-8pm" (a bare start takes the end's half of the day), "22h-2h" ends the next day; so
  does a length: "samedi 10h pendant 2 heures", "saturday 10am for 2 hours".
- Repetitions give a ``recurrence`` and the first occurrence after now as ``start``: "tous les
  mardis à 19h", "chaque jour", "tous les jours", "toutes les 2 semaines", "tous les quinze
  jours" (every two weeks), "un mardi sur deux", "en semaine", "tous les mois le 5", "le 5 de
  chaque mois", "every tuesday", "every other week", "daily", "weekly on friday", "monthly on
  the 5th", "on weekdays", "tous les lundis et jeudis". A date beside a rule is where it starts
  ("tous les mardis à partir du 5 janvier").
- Pieces that contradict each other are refused (``when.ambiguous``): "demain samedi" unless
  tomorrow is a Saturday, "samedi 13 décembre" unless it is one, two times, two days.
- Daylight saving: a wall time that does not exist (02:30 on 2027-03-28 in Europe/Paris) moves
  forward by the gap, to 03:30; one that happens twice (02:30 on 2026-10-25) is the first.
  `Recurrence.next_after` keeps the wall-clock time across changes.
"""

from .duration import DURATION_EXAMPLES, parse_duration
from .errors import WhenError
from .lexicon import EXAMPLES
from .model import Frequency, Recurrence, When, localize
from .parser import find_when, parse_when

__all__ = [
    "DURATION_EXAMPLES",
    "EXAMPLES",
    "Frequency",
    "Recurrence",
    "When",
    "WhenError",
    "find_when",
    "localize",
    "parse_duration",
    "parse_when",
]
