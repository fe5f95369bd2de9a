"""Room memberships the welcome bot arranges, done as the appservice (which created the rooms)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from bridge.db.spaces import ROOT, SpaceRepository

from .homeserver_api import HomeserverAPI, HomeserverError

log = logging.getLogger("bots.membership")


@dataclass
class CampaignMembership:
    api: HomeserverAPI
    spaces: SpaceRepository

    async def invite_to_campaign(self, user_id: str) -> bool:
        """Invite a supporter to the campaign's root space (from which every team room and
        département space may be joined). False if the space does not exist yet."""
        space = await self.spaces.get(ROOT)
        if space is None:
            log.warning("No campaign space yet: %s is not invited to it", user_id)
            return False
        try:
            await self.api.request(
                "POST", f"/_matrix/client/v3/rooms/{quote(space)}/invite", {"user_id": user_id}
            )
        except HomeserverError as error:
            if error.errcode != "M_FORBIDDEN":  # already in, or banned: nothing to do
                raise
            log.info("%s not invited to the campaign space: %s", user_id, error)
        return True

    async def remove_from_rooms(self, user_id: str, room_ids: Iterable[str]) -> None:
        """Take someone out of rooms (after they asked to be forgotten)."""
        for room_id in room_ids:
            try:
                await self.api.request(
                    "POST",
                    f"/_matrix/client/v3/rooms/{quote(room_id)}/kick",
                    {"user_id": user_id, "reason": "Données effacées à la demande de la personne"},
                )
            except HomeserverError as error:
                log.info("Could not remove %s from %s: %s", user_id, room_id, error)
