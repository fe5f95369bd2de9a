"""The protections, and whether one is on in a room: the room's switch, else the global switch
a moderator set, else the configuration (``moderation.protections``)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from bridge.domain.roles import Role


class Protection(StrEnum):
    #: More than N joins in M seconds: the room is locked down and the admin room alerted.
    JOIN_WAVE = "join_wave"
    #: Forbidden words in messages: redacted, the author warned, a strike.
    WORDS = "words"
    #: Forbidden words in display names: the member is kicked, a strike.
    DISPLAY_NAMES = "display_names"
    #: A new member's message that is only links or media: redacted, the author warned.
    NEW_MEMBER_LINKS = "new_member_links"
    #: A message mentioning too many people: redacted, a strike.
    MENTIONS = "mentions"


#: The power from which one moderates: a moderator in the admin room, and in a team room
#: (managers and referents) someone the protections leave alone.
MODERATOR_POWER = Role.MANAGER.power_level

#: The scope of a switch that applies to every room.
GLOBAL_SCOPE = ""


def protection_named(name: str) -> Protection | None:
    """A protection from its name as typed (``join_wave``, ``join-wave``, ``JOIN_WAVE``)."""
    try:
        return Protection(name.strip().lower().replace("-", "_"))
    except ValueError:
        return None


def is_enabled(
    protection: Protection,
    room_id: str | None,
    *,
    configured: Mapping[str, bool],
    switches: Mapping[tuple[str, str], bool],
) -> bool:
    """Whether ``protection`` applies in ``room_id`` (None: the global setting)."""
    if room_id is not None and (room_id, protection.value) in switches:
        return switches[(room_id, protection.value)]
    if (GLOBAL_SCOPE, protection.value) in switches:
        return switches[(GLOBAL_SCOPE, protection.value)]
    return configured.get(protection.value, True)
