"""Each person's reminder preferences: their time zone, and when event reminders come.

- The time zone (``!fuseau Europe/Paris``) is an IANA name; without one, the campaign's
  (``locale.timezone``). Personal reminders are read and shown in it. Reminders already set keep
  their instant (and a repeating one its zone's wall clock): changing zone moves nothing.
- The offsets (``!preferences rappels 24h,1h``) say how long before an event someone who is going
  gets a DM: one to :data:`MAX_OFFSETS` lengths from :data:`MIN_OFFSET` to :data:`MAX_OFFSET`
  ("24h", "1h30", "2 jours", "45 min"), or "off" (none). Without a choice: the campaign's
  ``reminders.default_offsets``. They are stored in a canonical text ("24h,1h", longest first)
  that :func:`parse_offsets` reads back; the event reminders read them with
  :meth:`ReminderPreferences.offsets_of`.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import zoneinfo
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from zoneinfo import ZoneInfo

from bridge.db.reminder_settings import ReminderSettingsRepository
from ralliement.when import WhenError, parse_duration
from ralliement.when.text import fold

from .errors import DomainError

OFFSETS_INVALID = "reminder.offsets.invalid"  # text (the limits are in its wording)
TIMEZONE_INVALID = "reminder.timezone.invalid"  # text, suggestions (list)

MIN_OFFSET = timedelta(minutes=5)
MAX_OFFSET = timedelta(days=14)
MAX_OFFSETS = 5
#: What turns event reminders off, compared without case or accents.
OFF_WORDS = frozenset({"off", "non", "aucun", "aucune", "jamais", "none", "no", "never", "0"})
OFF = "off"
#: Closest zone names offered for a misspelt one.
_SUGGESTIONS = 3


class PreferenceError(DomainError):
    """A preference that cannot be understood."""


def parse_offsets(text: str) -> tuple[timedelta, ...]:
    """The offsets a person wrote: "24h,1h" → (24 h, 1 h); "off" → ().

    Lengths are separated by commas, semicolons, "et"/"and" or spaces between complete lengths
    ("24h 1h"); duplicates count once; the result is longest first.

    Raises:
        PreferenceError: ``reminder.offsets.invalid`` for anything else (an empty text, an
            unknown length, one out of range, too many).
    """
    folded = fold(text).text.strip(" .")
    if folded in OFF_WORDS:
        return ()
    pieces = [piece for piece in re.split(r"\s*(?:[,;/+]|\bet\b|\band\b)\s*", folded) if piece]
    if len(pieces) == 1 and " " in pieces[0]:
        pieces = _split_spaces(pieces[0])
    offsets: set[timedelta] = set()
    for piece in pieces:
        try:
            offset = parse_duration(piece)
        except WhenError:
            raise _invalid(text) from None
        if not MIN_OFFSET <= offset <= MAX_OFFSET:
            raise _invalid(text)
        offsets.add(offset)
    if not offsets or len(offsets) > MAX_OFFSETS:
        raise _invalid(text)
    return tuple(sorted(offsets, reverse=True))


def _split_spaces(text: str) -> list[str]:
    """ "24h 1h" is two lengths, "2 jours" one: split on spaces only when every part is one."""
    words = text.split()
    try:
        for word in words:
            parse_duration(word)
    except WhenError:
        return [text]
    return words


def _invalid(text: str) -> PreferenceError:
    return PreferenceError(OFFSETS_INVALID, text=text.strip())


def format_offset(offset: timedelta) -> str:
    """One offset as stored and shown: "24h", "1h30", "45min", "14j" (whole days past 48 h)."""
    minutes = int(offset.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours >= 48 and rest == 0 and hours % 24 == 0:
        return f"{hours // 24}j"
    if hours == 0:
        return f"{rest}min"
    return f"{hours}h" if rest == 0 else f"{hours}h{rest:02d}"


def format_offsets(offsets: tuple[timedelta, ...]) -> str:
    """The canonical text of offsets: "24h,1h", or "off" for none."""
    return ",".join(format_offset(offset) for offset in offsets) if offsets else OFF


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in zoneinfo.available_timezones()}


def read_timezone(text: str) -> str:
    """An IANA time zone name as typed ("europe/paris", " Europe/Paris ") → "Europe/Paris".

    Raises:
        PreferenceError: ``reminder.timezone.invalid`` with the closest names as suggestions.
    """
    wanted = "_".join(text.strip().split()).casefold()
    names = _zones_by_folded_name()
    if wanted in names:
        return names[wanted]
    close = difflib.get_close_matches(wanted, sorted(names), n=_SUGGESTIONS, cutoff=0.6)
    raise PreferenceError(
        TIMEZONE_INVALID, text=text.strip(), suggestions=[names[c] for c in close]
    )


@dataclass(frozen=True)
class Preferences:
    """What applies to one person, defaults filled in."""

    zone: ZoneInfo
    offsets: tuple[timedelta, ...]
    zone_chosen: bool
    offsets_chosen: bool


@dataclass
class ReminderPreferences:
    """Reads and changes the preferences, with the campaign's defaults."""

    settings: ReminderSettingsRepository
    default_zone: ZoneInfo
    default_offsets: tuple[timedelta, ...] = (timedelta(hours=24), timedelta(hours=1))

    async def of(self, user_id: str) -> Preferences:
        stored = await self.settings.get(user_id)
        zone = self.default_zone
        zone_chosen = offsets_chosen = False
        offsets = self.default_offsets
        if stored is not None and stored.timezone:
            # A zone the system no longer has: the default.
            with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone, zone_chosen = ZoneInfo(stored.timezone), True
        if stored is not None and stored.offsets:
            with contextlib.suppress(PreferenceError):
                offsets, offsets_chosen = parse_offsets(stored.offsets), True
        return Preferences(zone, offsets, zone_chosen, offsets_chosen)

    async def zone_of(self, user_id: str) -> ZoneInfo:
        """The time zone personal reminders are read and shown in."""
        return (await self.of(user_id)).zone

    async def offsets_of(self, user_id: str) -> tuple[timedelta, ...]:
        """How long before an event the person gets a DM, longest first; () for none."""
        return (await self.of(user_id)).offsets

    async def set_zone(self, user_id: str, text: str) -> ZoneInfo:
        """Keep the zone ``text`` names (``reminder.timezone.invalid``)."""
        name = read_timezone(text)
        await self.settings.set_timezone(user_id, name)
        return ZoneInfo(name)

    async def set_offsets(self, user_id: str, text: str) -> tuple[timedelta, ...]:
        """Keep the offsets ``text`` says (``reminder.offsets.invalid``); () is off."""
        offsets = parse_offsets(text)
        await self.settings.set_offsets(user_id, format_offsets(offsets))
        return offsets
