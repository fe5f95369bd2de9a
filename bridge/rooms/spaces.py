"""The campaign's spaces: a root space, and one space per département inside it, on demand.

Each space is created once, under a fixed alias in the appservice's namespace, so a crash
between creating it and saving its id finds the same space again instead of making a second one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from typing import Any

from mautrix.errors import MatrixRequestError

from bridge.db.spaces import ROOT, SpaceRepository

from . import state
from .matrix import RoomClient, is_room_in_use

log = logging.getLogger("bridge.rooms.spaces")


class SpaceDirectory:
    """Finds or creates the campaign's spaces."""

    def __init__(
        self,
        client: RoomClient,
        repository: SpaceRepository,
        *,
        domain: str,
        alias_prefix: str,
        campaign_name: str,
        bots: Iterable[str],
        departement_name: Callable[[str], str | None],
    ) -> None:
        self.client = client
        self.repository = repository
        self.domain = domain
        self.alias_prefix = alias_prefix
        self.campaign_name = campaign_name
        self.bots = tuple(bots)
        self.departement_name = departement_name
        self._lock = asyncio.Lock()

    def alias_localpart(self, key: str) -> str:
        return f"{self.alias_prefix}espace_{key.lower()}"

    async def ensure_root(self) -> str:
        """The root space's room id, created the first time."""
        async with self._lock:
            return await self._ensure(ROOT, None)

    async def ensure_departement(self, code: str) -> str:
        """The space of département ``code``, created (and linked in the root) the first time."""
        async with self._lock:
            root = await self._ensure(ROOT, None)
            return await self._ensure(code, root)

    async def for_team(self, departement: str | None) -> str:
        """The space a team belongs in: its département's, or the root for a team without one."""
        if departement:
            return await self.ensure_departement(departement)
        return await self.ensure_root()

    async def _ensure(self, key: str, parent: str | None) -> str:
        room_id = await self.repository.get(key)
        if room_id is not None:
            return room_id
        alias = self.alias_localpart(key)
        try:
            room_id = await self.client.create_room(self._creation(key, parent))
            log.info("Created space %s (%s)", room_id, key)
        except MatrixRequestError as error:
            if not is_room_in_use(error):
                raise
            room_id = await self.client.resolve_alias(f"#{alias}:{self.domain}")
            if room_id is None:
                raise
            log.info("Found space %s (%s) by its alias", room_id, key)
        if parent is not None:
            await self.client.put_state(
                parent, "m.space.child", state.space_link(self.domain), room_id
            )
        await self.repository.save(key, room_id)
        return room_id

    async def set_locked(self, room_id: str, *, locked: bool) -> bool:
        """Lock a space down (invite only) or open it again; False if it is not one of ours.

        Spaces have no projection worker: their join rule is put directly when a lockdown
        starts or ends.
        """
        spaces = await self.repository.all()
        key = next((key for key, space in spaces.items() if space == room_id), None)
        if key is None:
            return False
        parent = None if key == ROOT else spaces.get(ROOT)
        rules = state.space_join_rules(parent, locked=locked)
        await self.client.put_state(room_id, "m.room.join_rules", rules)
        return True

    def _creation(self, key: str, parent: str | None) -> dict[str, Any]:
        if key == ROOT:
            name, topic = self.campaign_name, f"{self.campaign_name} : toutes les équipes"
        else:
            label = self.departement_name(key) or key
            name, topic = f"{key} – {label}", f"Les équipes du département {label} ({key})"
        join_rules = state.space_join_rules(parent)
        initial_state: list[dict[str, Any]] = [
            {"type": "m.room.join_rules", "state_key": "", "content": join_rules},
            {
                "type": "m.room.history_visibility",
                "state_key": "",
                "content": {"history_visibility": "shared"},
            },
        ]
        if parent is not None:
            initial_state.append(
                {
                    "type": "m.space.parent",
                    "state_key": parent,
                    "content": state.parent_link(self.domain),
                }
            )
        return {
            "room_version": state.ROOM_VERSION,
            "creation_content": {"type": "m.space"},
            "preset": "private_chat",
            "name": name,
            "topic": topic,
            "room_alias_name": self.alias_localpart(key),
            "power_level_content_override": state.space_power_levels(self.bots),
            "initial_state": initial_state,
        }
