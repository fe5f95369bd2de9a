"""The appservice's side of moderation.

- :mod:`.rooms`: the admin room and the campaign's policy list, created at start; moderators.
- :mod:`.policy`: rules of the policy lists (the campaign's and the watched ones) turned into
  bans in every managed room, and lifted when the rule goes.
- :mod:`.joins`: the join log, bans of joiners a rule names, join waves locking a room down.
- :mod:`.worker`: carries out the bans, unbans, kicks and redactions owed to rooms.

The moderation bot (``bots.moderation*``) is the moderators' door; it writes rules in the policy
list and actions, lockdowns and mutes in the database, and this side carries them out.
"""

from __future__ import annotations

from mautrix.util.async_db import Database

from bridge.db.policy import PolicyStore
from bridge.rooms.matrix import RoomClient
from ralliement.config import Config

from .rooms import ModerationRooms, ModerationRoomSettings

__all__ = ["ModerationRooms", "moderation_bot", "moderation_rooms", "our_users"]


def moderation_bot(config: Config) -> str | None:
    """The moderation bot's user id; None when it is off (then nothing here runs)."""
    bot = config.bots.bots.get("moderation")
    if bot is None or not bot.enabled:
        return None
    return config.bot_user_id("moderation")


def our_users(config: Config) -> frozenset[str]:
    """The appservice's own users (its bot and every bot): never banned, never counted."""
    bots = {config.bot_user_id(name) for name in config.bots.bots}
    return frozenset({config.appservice_bot_user_id, *bots})


def moderation_rooms(config: Config, client: RoomClient, db: Database) -> ModerationRooms | None:
    """The admin room and policy list manager; None when the moderation bot is off."""
    bot = moderation_bot(config)
    if bot is None:
        return None
    settings = ModerationRoomSettings(
        domain=config.homeserver.domain,
        alias_prefix=config.appservice.user_prefix,
        campaign_name=config.campaign.name,
        bot=bot,
        moderators=tuple(config.moderation.moderators),
    )
    return ModerationRooms(client, PolicyStore(db), settings)
