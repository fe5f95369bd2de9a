"""Teams: creation, joining, leaving and role changes, with the rules of :mod:`.roles`.

Every check that depends on the team's members is made inside the same transaction as the write,
under the team's lock (see :meth:`TeamRepository.locked`), so concurrent requests cannot together
break a rule that each respects alone (two promotions to a third referent, two last referents
leaving at once).
"""

from __future__ import annotations

import re
import secrets
import unicodedata

from bridge.db.teams import Member, Team, TeamKind, TeamRepository, now_ms

from .errors import DomainError
from .roles import Role, check_leave, check_role_change

NAME_MIN = 3
NAME_MAX = 80
SLUG_MAX = 24
ID_ATTEMPTS = 5

# Message keys of the refusals, for the bots' translations.
NAME_LENGTH = "team.name.length"
KIND_INVALID = "team.kind.invalid"
NOT_FOUND = "team.not_found"
ARCHIVED = "team.archived"
NOT_MEMBER = "team.not_member"
TARGET_NOT_MEMBER = "team.member.not_found"


class TeamError(DomainError):
    """A team request refused for a reason other than the role rules."""


def slugify(name: str) -> str:
    """A short ASCII slug of a team name: "Équipe Lyon 3e" → "equipe-lyon-3e"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-") or "team"


def new_team_id(name: str) -> str:
    """A readable, unguessable-enough id: the name's slug and a random suffix."""
    return f"{slugify(name)}-{secrets.token_hex(3)}"


def clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not NAME_MIN <= len(cleaned) <= NAME_MAX:
        raise TeamError(NAME_LENGTH, min=NAME_MIN, max=NAME_MAX)
    return cleaned


def parse_kind(kind: str | TeamKind) -> TeamKind:
    try:
        return TeamKind(kind)
    except ValueError:
        raise TeamError(KIND_INVALID, kind=str(kind)) from None


class TeamService:
    """The team rules, applied to the state in the repository."""

    def __init__(self, repository: TeamRepository) -> None:
        self.repository = repository

    async def create_team(
        self,
        name: str,
        kind: str | TeamKind,
        commune: str | None,
        postcode: str | None,
        departement: str | None,
        referent_user_id: str,
        *,
        description: str = "",
    ) -> Team:
        """Create a team whose first referent is ``referent_user_id``.

        Raises:
            TeamError: ``team.name.length`` (3–80 characters after trimming) or
                ``team.kind.invalid``.
        """
        cleaned = clean_name(name)
        team_kind = parse_kind(kind)
        for _ in range(ID_ATTEMPTS):
            team = Team(
                id=new_team_id(cleaned),
                name=cleaned,
                kind=team_kind,
                description=description.strip(),
                commune=commune.strip() if commune else None,
                postcode=postcode.strip() if postcode else None,
                departement=departement.strip() if departement else None,
                latitude=None,
                longitude=None,
                room_id=None,
                created_at=now_ms(),
                archived_at=None,
            )
            if await self.repository.create(team, referent_user_id):
                return team
        raise RuntimeError(f"no free team id for {cleaned!r} after {ID_ATTEMPTS} attempts")

    async def get_team(self, team_id: str) -> Team:
        team = await self.repository.get(team_id)
        if team is None:
            raise TeamError(NOT_FOUND, team=team_id)
        return team

    async def members(self, team_id: str) -> list[Member]:
        await self.get_team(team_id)
        return await self.repository.members(team_id)

    async def join(self, team_id: str, user_id: str) -> bool:
        """Join as a member. Joining again changes nothing (and returns False).

        Raises:
            TeamError: ``team.not_found`` or ``team.archived``.
        """
        team = await self.get_team(team_id)
        if team.archived_at is not None:
            raise TeamError(ARCHIVED, team=team_id)
        return await self.repository.add_member(team_id, user_id, Role.MEMBER)

    async def leave(self, team_id: str, user_id: str) -> None:
        """Leave a team.

        Raises:
            TeamError: ``team.not_found`` or ``team.not_member``.
            RoleRefused: ``team.leave.last_referent``.
        """
        async with self.repository.locked(team_id) as team:
            if team is None:
                raise TeamError(NOT_FOUND, team=team_id)
            role = await team.role_of(user_id)
            if role is None:
                raise TeamError(NOT_MEMBER, team=team_id)
            check_leave(role, await team.referent_count())
            await team.remove_member(user_id)

    async def change_role(self, team_id: str, actor: str, target: str, new_role: Role) -> None:
        """``actor`` gives ``target`` the role ``new_role`` (``actor`` may be ``target``).

        Raises:
            TeamError: ``team.not_found``, ``team.archived``, ``team.not_member`` (the actor),
                ``team.member.not_found`` (the target).
            RoleRefused: see :func:`.roles.check_role_change`.
        """
        async with self.repository.locked(team_id) as team:
            if team is None:
                raise TeamError(NOT_FOUND, team=team_id)
            if team.team.archived_at is not None:
                raise TeamError(ARCHIVED, team=team_id)
            actor_role = await team.role_of(actor)
            if actor_role is None:
                raise TeamError(NOT_MEMBER, team=team_id)
            target_role = await team.role_of(target)
            if target_role is None:
                raise TeamError(TARGET_NOT_MEMBER, team=team_id, user=target)
            check_role_change(
                actor_role,
                target_role,
                new_role,
                await team.referent_count(),
                is_self=actor == target,
            )
            if new_role is not target_role:
                await team.set_role(target, new_role)
