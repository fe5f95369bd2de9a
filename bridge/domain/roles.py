"""Team roles and who may change them: pure functions, no I/O.

Roles are ordered member < manager < referent and map to Matrix power levels in one place,
:data:`POWER_LEVELS`. A team has at most :data:`MAX_REFERENTS` referents and, while it has
members, at least one. The checks raise :class:`RoleRefused`; they return nothing when allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from .errors import DomainError


class Role(StrEnum):
    MEMBER = "member"
    MANAGER = "manager"
    REFERENT = "referent"

    @property
    def power_level(self) -> int:
        """The Matrix power level of this role in the team room."""
        return POWER_LEVELS[self]

    @classmethod
    def for_power_level(cls, level: int) -> Role:
        """The highest role whose power level ``level`` reaches (75 → manager)."""
        reached = [role for role in cls if role.power_level <= level]
        return max(reached, key=lambda role: role.power_level, default=cls.MEMBER)


POWER_LEVELS: Mapping[Role, int] = MappingProxyType(
    {Role.MEMBER: 0, Role.MANAGER: 50, Role.REFERENT: 100}
)
MAX_REFERENTS = 2

# Message keys of the refusals, for the bots' translations.
NOT_ALLOWED = "team.role.not_allowed"
SELF_CHANGE = "team.role.self_change"
REFERENT_ONLY = "team.role.referent_only"
TOO_MANY_REFERENTS = "team.role.too_many_referents"
LAST_REFERENT = "team.role.last_referent"
LEAVE_LAST_REFERENT = "team.leave.last_referent"


class RoleRefused(DomainError):
    """A role change or a departure the rules refuse."""


def check_role_change(
    actor: Role, target: Role, new_role: Role, referents: int, *, is_self: bool
) -> None:
    """Whether ``actor`` may give the role ``new_role`` to a member who has the role ``target``.

    Args:
        actor: the role of the member asking.
        target: the current role of the member whose role changes.
        new_role: the role asked for.
        referents: how many referents the team has now (the actor included).
        is_self: whether the actor changes their own role.

    Raises:
        RoleRefused: with the key of the rule that refuses.
    """
    if is_self:
        if actor is Role.REFERENT and new_role is not Role.REFERENT:
            if referents <= 1:
                raise RoleRefused(LAST_REFERENT)
            return
        if new_role is actor:
            return
        raise RoleRefused(SELF_CHANGE)
    if target.power_level >= actor.power_level:
        raise RoleRefused(NOT_ALLOWED)
    if new_role is target:
        return
    if new_role is not Role.MEMBER and actor is not Role.REFERENT:
        raise RoleRefused(REFERENT_ONLY, role=new_role.value)
    if new_role is Role.REFERENT and referents >= MAX_REFERENTS:
        raise RoleRefused(TOO_MANY_REFERENTS, limit=MAX_REFERENTS)


def check_leave(role: Role, referents: int) -> None:
    """Whether a member with ``role`` may leave a team that has ``referents`` referents.

    Raises:
        RoleRefused: ``team.leave.last_referent`` for the team's only referent.
    """
    if role is Role.REFERENT and referents <= 1:
        raise RoleRefused(LEAVE_LAST_REFERENT)


def check_admin_role_change(target: Role, new_role: Role, referents: int) -> None:
    """Whether a campaign admin (not a member of the team) may give ``new_role`` to a member.

    An admin may set any role, within the team's limits: at most :data:`MAX_REFERENTS` referents,
    and never none.

    Args:
        target: the current role of the member whose role changes.
        new_role: the role asked for.
        referents: how many referents the team has now.

    Raises:
        RoleRefused: ``team.role.last_referent`` or ``team.role.too_many_referents``.
    """
    if new_role is target:
        return
    if target is Role.REFERENT and referents <= 1:
        raise RoleRefused(LAST_REFERENT)
    if new_role is Role.REFERENT and referents >= MAX_REFERENTS:
        raise RoleRefused(TOO_MANY_REFERENTS, limit=MAX_REFERENTS)
