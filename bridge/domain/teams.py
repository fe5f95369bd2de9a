"""Teams: creation, joining, leaving and role changes, with the rules of :mod:`.roles`.

Every check that depends on the team's members is made inside the same transaction as the write,
under the team's lock (see :meth:`TeamRepository.locked`), so concurrent requests cannot together
break a rule that each respects alone (two promotions to a third referent, two last referents
leaving at once).
"""

from __future__ import annotations

import asyncio
import math
import re
import secrets
import unicodedata
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bridge.db.teams import LockedTeam, Member, Team, TeamKind, TeamRepository, now_ms

from .errors import DomainError
from .places import TeamPlace, resolve_team_place
from .roles import Role, check_admin_role_change, check_leave, check_role_change

NAME_MIN = 3
NAME_MAX = 80
SLUG_MAX = 24
ID_ATTEMPTS = 5
ROOM_POLL_S = 0.5
EARTH_RADIUS_KM = 6371.0088

# Message keys of the refusals, for the bots' translations.
NAME_LENGTH = "team.name.length"
KIND_INVALID = "team.kind.invalid"
NOT_FOUND = "team.not_found"
ARCHIVED = "team.archived"
NOT_MEMBER = "team.not_member"
TARGET_NOT_MEMBER = "team.member.not_found"
NO_TEAM_HERE = "team.no_team_here"
AVATAR_INVALID = "team.avatar.invalid"
#: A Matrix content URI: mxc://<server name>/<media id>.
MXC_URI = re.compile(r"mxc://[A-Za-z0-9.:\[\]-]+/[A-Za-z0-9_-]+")
PLACE_REQUIRED = "team.place.required"


@dataclass(frozen=True)
class NearbyTeam:
    team: Team
    distance_km: float
    members: int


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius): within 0.5 % of the geodesic."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


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


def clean_avatar_url(url: str | None) -> str | None:
    """An ``mxc://`` URI (an image uploaded to the homeserver), or None for no avatar."""
    if url is None or not url.strip():
        return None
    if not MXC_URI.fullmatch(url.strip()):
        raise TeamError(AVATAR_INVALID, url=url.strip())
    return url.strip()


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
        latitude: float | None = None,
        longitude: float | None = None,
        source_key: str | None = None,
        avatar_url: str | None = None,
    ) -> Team:
        """Create a team whose first referent is ``referent_user_id``; its room follows.

        Raises:
            TeamError: ``team.name.length`` (3–80 characters after trimming),
                ``team.kind.invalid`` or ``team.avatar.invalid`` (not an ``mxc://`` URI).
        """
        cleaned = clean_name(name)
        team_kind = parse_kind(kind)
        avatar_url = clean_avatar_url(avatar_url)
        for _ in range(ID_ATTEMPTS):
            team = Team(
                id=new_team_id(cleaned),
                name=cleaned,
                kind=team_kind,
                description=description.strip(),
                commune=commune.strip() if commune else None,
                postcode=postcode.strip() if postcode else None,
                departement=departement.strip() if departement else None,
                latitude=latitude,
                longitude=longitude,
                room_id=None,
                created_at=now_ms(),
                archived_at=None,
                source_key=source_key,
                avatar_url=avatar_url,
            )
            if await self.repository.create(team, referent_user_id):
                return team
            if source_key is not None and await self.repository.get_by_source_key(source_key):
                raise RuntimeError(f"a team already has the source key {source_key!r}")
        raise RuntimeError(f"no free team id for {cleaned!r} after {ID_ATTEMPTS} attempts")

    async def create_team_at(
        self,
        name: str,
        kind: str | TeamKind,
        place: str | None,
        referent_user_id: str,
        *,
        description: str = "",
        source_key: str | None = None,
        avatar_url: str | None = None,
    ) -> Team:
        """Create a team located by a postcode or commune name (optional for a thematic team).

        Raises:
            TeamError: as :meth:`create_team`, or ``team.place.required`` for a local team.
            PlaceError: ``place.unknown`` or ``place.ambiguous``.
        """
        cleaned, team_kind, located = self.check_new_team(name, kind, place)
        return await self.create_team(
            cleaned,
            team_kind,
            located.commune if located else None,
            located.postcode if located else None,
            located.departement if located else None,
            referent_user_id,
            description=description,
            latitude=located.latitude if located else None,
            longitude=located.longitude if located else None,
            source_key=source_key,
            avatar_url=avatar_url,
        )

    async def import_team(
        self,
        source_key: str,
        name: str,
        kind: str | TeamKind,
        place: str | None,
        referent_user_id: str,
    ) -> tuple[Team, bool]:
        """Create the team of an import row unless an earlier import already did.

        Returns:
            The team, and whether it was created now.
        """
        existing = await self.repository.get_by_source_key(source_key)
        if existing is not None:
            return existing, False
        try:
            team = await self.create_team_at(
                name, kind, place, referent_user_id, source_key=source_key
            )
        except RuntimeError:
            # Created concurrently by another import of the same row.
            existing = await self.repository.get_by_source_key(source_key)
            if existing is None:
                raise
            return existing, False
        return team, True

    async def list_teams(self, *, include_archived: bool = False) -> list[Team]:
        return await self.repository.list_teams(include_archived=include_archived)

    async def archive_team(self, team_id: str) -> Team:
        """Archive a team: kept with its members, its room leaves the spaces and is closed.

        Raises:
            TeamError: ``team.not_found`` or ``team.archived``.
        """
        if not await self.repository.archive(team_id):
            team = await self.get_team(team_id)
            raise TeamError(ARCHIVED, team=team.id)
        return await self.get_team(team_id)

    async def team_in_room(self, room_id: str) -> Team:
        """The team whose room is ``room_id``.

        Raises:
            TeamError: ``team.no_team_here``.
        """
        team = await self.repository.get_by_room(room_id)
        if team is None:
            raise TeamError(NO_TEAM_HERE)
        return team

    async def request_room_sync(self, team_id: str) -> None:
        """Ask for the team's room to be checked against the database (e.g. after an upgrade)."""
        async with self.repository.locked(team_id) as team:
            if team is not None:
                await team.request_sync()

    async def wait_for_room(
        self, team_id: str, timeout_s: float, *, poll_s: float = ROOM_POLL_S
    ) -> Team:
        """The team once the appservice has created its room, or as it is after ``timeout_s``.

        The room is made asynchronously (from the ``room_sync`` outbox, possibly by another
        process), so the doors that create a team and want to show its room wait here.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(timeout_s, 0)
        team = await self.get_team(team_id)
        while team.room_id is None and (remaining := deadline - loop.time()) > 0:
            await asyncio.sleep(min(poll_s, remaining))
            team = await self.get_team(team_id)
        return team

    async def nearest(
        self, latitude: float, longitude: float, *, limit: int = 5, max_km: float = 200.0
    ) -> list[NearbyTeam]:
        """The active local teams closest to a point, nearest first, within ``max_km``.

        A scan of the teams with coordinates: fine for thousands of teams; the geographic index
        of the discovery feature serves the event searches at national scale.
        """
        counts = await self.repository.member_counts()
        found = []
        for team in await self.repository.list_teams():
            if team.latitude is None or team.longitude is None:
                continue
            distance = distance_km(latitude, longitude, team.latitude, team.longitude)
            if distance <= max_km:
                found.append(NearbyTeam(team, distance, counts.get(team.id, 0)))
        found.sort(key=lambda nearby: (nearby.distance_km, -nearby.members, nearby.team.name))
        return found[:limit]

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

    @asynccontextmanager
    async def _active_team(self, team_id: str) -> AsyncIterator[LockedTeam]:
        """The team, locked, if it exists and is not archived."""
        async with self.repository.locked(team_id) as team:
            if team is None:
                raise TeamError(NOT_FOUND, team=team_id)
            if team.team.archived_at is not None:
                raise TeamError(ARCHIVED, team=team_id)
            yield team

    async def change_role(self, team_id: str, actor: str, target: str, new_role: Role) -> None:
        """``actor`` gives ``target`` the role ``new_role`` (``actor`` may be ``target``).

        Raises:
            TeamError: ``team.not_found``, ``team.archived``, ``team.not_member`` (the actor),
                ``team.member.not_found`` (the target).
            RoleRefused: see :func:`.roles.check_role_change`.
        """
        async with self._active_team(team_id) as team:
            actor_role = await team.role_of(actor)
            if actor_role is None:
                raise TeamError(NOT_MEMBER, team=team_id)
            target_role = await _target_role(team, target)
            check_role_change(
                actor_role,
                target_role,
                new_role,
                await team.referent_count(),
                is_self=actor == target,
            )
            if new_role is not target_role:
                await team.set_role(target, new_role)

    # --- What happened in the room (the room is the truth for who is in) ---------------------

    async def member_joined(self, team_id: str, user_id: str) -> bool:
        """Someone joined the team's room: they are a member (if they were not already)."""
        return await self.repository.add_member(team_id, user_id, Role.MEMBER)

    async def member_left(self, team_id: str, user_id: str) -> str | None:
        """Someone left, was kicked or banned from the team's room: they are no longer a member.

        A room cannot refuse a departure, so when the last referent goes the longest-standing
        manager (else member) becomes referent, and the team is never left without one.

        Returns:
            The user promoted to referent, if any.
        """
        async with self.repository.locked(team_id) as team:
            if team is None:
                return None
            _, successor = await remove_keeping_a_referent(team, user_id)
            return successor

    async def power_levels_edited(
        self, team_id: str, sender: str, levels: dict[str, int]
    ) -> list[DomainError]:
        """Someone edited the room's power levels: apply the changes the role rules allow.

        ``levels`` maps members to their new power level; each differing from the member's role is
        a role change asked by ``sender`` (75 asks for manager). The room is then re-projected, so
        refused changes and levels between roles are put back as the database says.

        Returns:
            The refusals, one per change the rules did not allow.
        """
        refusals: list[DomainError] = []
        for member in await self.repository.members(team_id):
            level = levels.get(member.user_id, 0)
            wanted = Role.for_power_level(level)
            if wanted is member.role:
                continue
            try:
                await self.change_role(team_id, sender, member.user_id, wanted)
            except DomainError as refusal:
                refusals.append(refusal)
        await self.request_room_sync(team_id)
        return refusals

    # --- The admin doors (CLI, provisioning API) ---------------------------------------------

    def check_new_team(
        self, name: str, kind: str | TeamKind, place: str | None
    ) -> tuple[str, TeamKind, TeamPlace | None]:
        """What :meth:`create_team_at` would store for these, or its refusal; writes nothing.

        Used by dry runs and to key imports on the resolved place.

        Returns:
            The cleaned name, the kind, and the place (None when no place is given).

        Raises:
            TeamError, PlaceError: as :meth:`create_team_at`.
        """
        cleaned = clean_name(name)
        team_kind = parse_kind(kind)
        if place and place.strip():
            return cleaned, team_kind, resolve_team_place(place)
        if team_kind is TeamKind.LOCAL:
            raise TeamError(PLACE_REQUIRED)
        return cleaned, team_kind, None

    async def set_role_as_admin(self, team_id: str, target: str, new_role: Role) -> bool:
        """A campaign admin gives ``target`` the role ``new_role``, within the team's limits.

        Returns:
            Whether the role changed.

        Raises:
            TeamError: ``team.not_found``, ``team.archived``, ``team.member.not_found``.
            RoleRefused: see :func:`.roles.check_admin_role_change`.
        """
        async with self._active_team(team_id) as team:
            target_role = await _target_role(team, target)
            check_admin_role_change(target_role, new_role, await team.referent_count())
            if new_role is target_role:
                return False
            await team.set_role(target, new_role)
            return True

    # --- Supporters creating teams (welcome bot) ---------------------------------------------

    async def check_creation_quota(self, user_id: str, *, limit: int = 3, hours: int = 24) -> None:
        """Whether ``user_id`` may create one more team: a supporter leads at most ``limit``
        teams created in the last ``hours`` hours. Admin doors do not ask.

        Raises:
            TeamError: ``team.create.quota`` (with ``limit`` and ``hours``).
        """
        since = now_ms() - hours * 3_600_000
        if await self.repository.count_led_since(user_id, since) >= limit:
            raise TeamError("team.create.quota", limit=limit, hours=hours)


async def remove_keeping_a_referent(team: LockedTeam, user_id: str) -> tuple[bool, str | None]:
    """Remove ``user_id`` from a locked team as the room does (nothing can refuse it): when the
    last referent goes, the longest-standing manager (else member) becomes referent.

    Used when someone leaves the room (:meth:`TeamService.member_left`) and when a person's data
    is erased (:meth:`bridge.domain.supporters.SupporterService.forget`).

    Returns:
        Whether ``user_id`` was a member, and the user promoted to referent, if any.
    """
    role = await team.role_of(user_id)
    if role is None:
        return False, None
    await team.remove_member(user_id)
    if role is not Role.REFERENT or await team.referent_count() > 0:
        return True, None
    successor = await team.senior_member(Role.MANAGER) or await team.senior_member(Role.MEMBER)
    if successor is not None:
        await team.set_role(successor, Role.REFERENT)
    return True, successor


async def _target_role(team: LockedTeam, target: str) -> Role:
    role = await team.role_of(target)
    if role is None:
        raise TeamError(TARGET_NOT_MEMBER, team=team.team.id, user=target)
    return role
