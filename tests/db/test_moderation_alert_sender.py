"""The moderation bot's alerts and quick actions on both engines, with stand-ins for the Matrix
side: each alert sent once to the admin room (the same transaction key after a crash), nothing
before the bot is in the room, and reactions of moderators (ban, redact, kick, dismiss, unlock)
answered with who did what; a handled report says by whom; others are refused. A moderator's
lock or unlock is told to the admin room, and 🔓 on it unlocks.
(Against the real Synapse: tests/integration/test_reports.py, test_join_wave.py.)"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from mautrix.util.async_db import Database

from bots.bot_hooks import BotIdentity
from bots.moderation_alerts import ModerationAlertSender, QuickActions, alert_key
from bots.moderation_services import ModerationServices
from bridge.db import create_database
from bridge.db.moderation_actions import ActionKind
from bridge.db.policy import RoomPurpose
from bridge.db.room_guard import RoomGuard
from bridge.db.teams import TeamRepository
from bridge.domain.teams import TeamService
from ralliement.config_schema import ModerationConfig

BOT = "@ralliement_moderation:localhost"
APPSERVICE = "@ralliement:localhost"
ADMIN_ROOM = "!admin:localhost"
POLICY_ROOM = "!policy:localhost"
TEAM_ROOM = "!team:localhost"
MODERATOR = "@mod:localhost"
MODERATOR_2 = "@mod2:localhost"
MEMBER = "@member:localhost"
_event_numbers = itertools.count(1)
SETTINGS = ModerationConfig(
    moderators=(),
    protections={},
    join_wave_joins=10,
    join_wave_seconds=60,
    words=(),
    strikes_before_ban=3,
    new_member_minutes=1440,
    max_mentions=8,
)
TROLL = "@troll:localhost"


@dataclass
class FakeAPI:
    """The homeserver as the moderation services call it (as_token requests): state reads of
    the admin room, state writes (rules), and anything else recorded."""

    powers: dict[str, int] = field(default_factory=dict)
    calls: list[tuple[str, str, dict[str, Any] | None, str | None]] = field(default_factory=list)
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)

    async def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        access_token: str | None = None,
        as_user: str | None = None,
    ) -> dict[str, Any]:
        self.calls.append((method, path, body, as_user))
        if method == "GET" and "/state/m.room.create/" in path:
            return {
                "type": "m.room.create",
                "state_key": "",
                "sender": APPSERVICE,
                "content": {"room_version": "12"},
            }
        if method == "GET" and "/state/m.room.power_levels/" in path:
            return {
                "type": "m.room.power_levels",
                "state_key": "",
                "sender": APPSERVICE,
                "content": {"users": dict(self.powers), "users_default": 0},
            }
        for prefix, answer in self.answers.items():
            if path.startswith(prefix):
                return answer
        return {}

    def state_writes(self) -> list[tuple[str, dict[str, Any] | None]]:
        return [(path, body) for method, path, body, _ in self.calls if method == "PUT"]


@dataclass
class FakeClient:
    rooms: dict[str, object] = field(default_factory=dict)


@dataclass
class FakeBot:
    identity: BotIdentity = field(default_factory=lambda: BotIdentity("moderation", BOT, "Mod"))
    client: FakeClient = field(default_factory=FakeClient)
    sent: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    fail: bool = False

    async def send_message(
        self, room_id: str, content: dict[str, Any], *, key: str, event_type: str = "m.room.message"
    ) -> str:
        if self.fail:
            raise RuntimeError("homeserver unreachable")
        self.sent.append((room_id, key, content))
        return f"$sent{next(_event_numbers)}"


@dataclass
class World:
    db: Database
    api: FakeAPI
    moderation: ModerationServices
    team_id: str

    def sender(self) -> ModerationAlertSender:
        return ModerationAlertSender(self.moderation, "fr")

    def quick(self) -> QuickActions:
        return QuickActions(self.moderation, "fr")


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[World]:
    db = create_database(database_url)
    await db.start()
    try:
        teams = TeamService(TeamRepository(db))
        team = await teams.create_team("Croix-Rousse", "local", None, None, None, MEMBER)
        await teams.repository.set_room(team.id, TEAM_ROOM)
        api = FakeAPI(powers={MODERATOR: 50, MODERATOR_2: 100, MEMBER: 0})
        moderation = ModerationServices.on_database(
            db,
            settings=SETTINGS,
            api=api,  # type: ignore[arg-type]
            bot_user_id=BOT,
            our_users=frozenset({BOT, APPSERVICE}),
        )
        await moderation.policy.set_room(RoomPurpose.ADMIN, ADMIN_ROOM, alias=None, added_by=None)
        await moderation.policy.set_room(
            RoomPurpose.POLICY, POLICY_ROOM, alias="#bans:localhost", added_by=None
        )
        yield World(db, api, moderation, team.id)
    finally:
        await db.stop()


def fresh_services(world: World) -> ModerationServices:
    """The services over the world's database, as after a restart."""
    return ModerationServices.on_database(
        world.db,
        settings=SETTINGS,
        api=world.api,  # type: ignore[arg-type]
        bot_user_id=BOT,
        our_users=frozenset({BOT, APPSERVICE}),
    )


async def report(world: World) -> tuple[int, str]:
    """A report of the troll's message, sent to the admin room: (report id, alert message)."""
    added, _ = await world.moderation.reports.add(
        room_id=TEAM_ROOM,
        event_id="$insult",
        reported_user=TROLL,
        reporter=MEMBER,
        reason="insulte",
        excerpt="espèce de …",
    )
    bot = FakeBot(client=FakeClient({ADMIN_ROOM: object()}))
    await world.sender().round(bot)  # type: ignore[arg-type]
    [(_, _, _)] = bot.sent
    [alert] = await world.moderation.alerts.of_kind("report")
    assert alert.event_id is not None
    return added.id, alert.event_id


async def test_each_alert_once_in_the_admin_room_even_after_a_crash(world: World) -> None:
    await world.moderation.alerts.raise_alert(
        "join_wave",
        {
            "room_id": TEAM_ROOM,
            "room_name": "Croix-Rousse",
            "joins": 3,
            "seconds": 60,
            "joiners": ["@a:spam.example", "@b:spam.example", "@c:spam.example"],
        },
        TEAM_ROOM,
    )
    bot = FakeBot()
    # The bot is not in the admin room yet (its sync does not know it): nothing is sent.
    assert await world.sender().round(bot) == 0  # type: ignore[arg-type]
    assert bot.sent == []

    bot.client.rooms[ADMIN_ROOM] = object()

    async def crash(*_: object) -> None:
        raise RuntimeError("killed")

    crashing = fresh_services(world)
    crashing.alerts.sent = crash  # type: ignore[method-assign]
    first = ModerationAlertSender(crashing, "fr")
    with pytest.raises(RuntimeError):
        await first.round(bot)  # type: ignore[arg-type]
    [(room_id, key, content)] = bot.sent
    assert room_id == ADMIN_ROOM and key == "moderation-alert/1"
    assert content["body"].startswith("🚨 Vague d'arrivées dans Croix-Rousse : 3 arrivées")

    # After the restart: sent again with the same key (the homeserver drops the repeat).
    restarted = ModerationAlertSender(fresh_services(world), "fr")
    assert await restarted.round(bot) == 1  # type: ignore[arg-type]
    assert [sent[1] for sent in bot.sent] == ["moderation-alert/1", "moderation-alert/1"]
    assert await restarted.round(bot) == 0  # type: ignore[arg-type]
    [alert] = await world.moderation.alerts.of_kind("join_wave")
    assert alert.event_id is not None and alert_key(alert) == "moderation-alert/1"


async def test_a_failed_send_is_retried_later_and_others_go_on(world: World) -> None:
    await world.moderation.alerts.raise_alert("lockdown", {"room_id": TEAM_ROOM, "locked": True})
    bot = FakeBot(client=FakeClient({ADMIN_ROOM: object()}), fail=True)
    sender = world.sender()
    assert await sender.round(bot) == 0  # type: ignore[arg-type]
    bot.fail = False
    assert await sender.round(bot) == 0  # type: ignore[arg-type]  # waiting for its retry
    sender._retry.clear()
    assert await sender.round(bot) == 1  # type: ignore[arg-type]


async def react(world: World, target: str, key: str, sender: str, n: int = 1) -> FakeBot:
    bot = FakeBot()
    await world.quick().reacted(bot, ADMIN_ROOM, sender, f"$reaction{n}", target, key)  # type: ignore[arg-type]
    return bot


def answer(bot: FakeBot) -> str:
    [(room_id, _, content)] = bot.sent
    assert room_id == ADMIN_ROOM
    return str(content["body"])


async def test_redact_then_a_second_moderator_is_told_it_was_handled(world: World) -> None:
    report_id, message = await report(world)
    bot = await react(world, message, "🗑️", MODERATOR)
    assert answer(bot) == (
        f"🗑️ {MODERATOR} a fait effacer le message signalé de {TROLL} (signalement n°{report_id})."
    )
    assert bot.sent[0][2]["m.relates_to"] == {"m.in_reply_to": {"event_id": message}}
    [action] = await world.moderation.actions.of_user(TROLL)
    assert (action.kind, action.room_id, action.target_event) == (
        ActionKind.REDACT,
        TEAM_ROOM,
        "$insult",
    )
    assert action.requested_by == MODERATOR

    second = await react(world, message, "✅", MODERATOR_2, 2)
    assert answer(second) == (
        f"Le signalement n°{report_id} a déjà été traité par {MODERATOR} (message effacé)."
    )
    assert len(await world.moderation.actions.of_user(TROLL)) == 1


async def test_ban_writes_the_rule_kick_enqueues_dismiss_only_marks(world: World) -> None:
    _, message = await report(world)
    bot = await react(world, message, "🔨", MODERATOR)
    assert "a banni @troll:localhost de toute la campagne" in answer(bot)
    [(path, body)] = world.api.state_writes()
    assert path.endswith("/state/m.policy.rule.user/rule%3A%40troll%3Alocalhost")
    assert body == {"entity": TROLL, "recommendation": "m.ban", "reason": "signalement n°1"}

    other, _ = await world.moderation.reports.add(
        room_id=TEAM_ROOM,
        event_id="$other",
        reported_user="@rude:localhost",
        reporter=MEMBER,
        reason="",
        excerpt="…",
    )
    await world.sender().round(FakeBot(client=FakeClient({ADMIN_ROOM: object()})))  # type: ignore[arg-type]
    [newest, _] = await world.moderation.alerts.of_kind("report")
    assert newest.event_id is not None
    kicked = await react(world, newest.event_id, "👢", MODERATOR)
    assert answer(kicked) == (
        f"👢 {MODERATOR} a expulsé @rude:localhost de Croix-Rousse ({world.team_id}) "
        f"(signalement n°{other.id})."
    )
    [kick] = await world.moderation.actions.of_user("@rude:localhost")
    assert kick.kind is ActionKind.KICK and kick.room_id == TEAM_ROOM


async def test_only_moderators_and_only_our_bots_are_refused_a_ban(world: World) -> None:
    _, message = await report(world)
    refused = await react(world, message, "🔨", MEMBER)
    assert answer(refused) == (
        f"{MEMBER} : seuls les modérateurs (niveau 50 ou plus ici) agissent sur les alertes."
    )
    assert world.api.state_writes() == []
    # Other reactions, and reactions elsewhere or on other messages, are ignored.
    assert (await react(world, message, "👍", MODERATOR)).sent == []
    assert (await react(world, "$not-an-alert", "🔨", MODERATOR)).sent == []
    bot = FakeBot()
    await world.quick().reacted(bot, TEAM_ROOM, MODERATOR, "$r", message, "🔨")  # type: ignore[arg-type]
    assert bot.sent == []

    added, _ = await world.moderation.reports.add(
        room_id=TEAM_ROOM,
        event_id="$mod-msg",
        reported_user=MODERATOR_2,
        reporter=MEMBER,
        reason="",
        excerpt="…",
    )
    await world.sender().round(FakeBot(client=FakeClient({ADMIN_ROOM: object()})))  # type: ignore[arg-type]
    alert = next(
        a
        for a in await world.moderation.alerts.of_kind("report")
        if a.payload["report_id"] == added.id
    )
    assert alert.event_id is not None
    bot = await react(world, alert.event_id, "🔨", MODERATOR)
    assert answer(bot) == (
        f"Je ne bannis pas {MODERATOR_2} : c'est un compte de la campagne ou un modérateur."
    )
    assert world.api.state_writes() == []


async def test_unlock_from_a_join_wave(world: World) -> None:
    guard: RoomGuard = world.moderation.guard
    async with world.db.acquire() as conn:
        await guard.lock(conn, TEAM_ROOM, reason="join_wave", locked_by=BOT)
    await world.moderation.alerts.raise_alert(
        "join_wave",
        {
            "room_id": TEAM_ROOM,
            "room_name": "Croix-Rousse",
            "joins": 3,
            "seconds": 60,
            "joiners": [],
        },
        TEAM_ROOM,
    )
    await world.sender().round(FakeBot(client=FakeClient({ADMIN_ROOM: object()})))  # type: ignore[arg-type]
    [alert] = await world.moderation.alerts.of_kind("join_wave")
    assert alert.event_id is not None
    bot = await react(world, alert.event_id, "🔓", MODERATOR)
    assert answer(bot) == f"🔓 {MODERATOR} a déverrouillé Croix-Rousse ({world.team_id})."
    assert await guard.lockdown(TEAM_ROOM) is None
    pending = await world.db.fetchval(
        "SELECT COUNT(*) FROM room_sync WHERE team_id = $1", world.team_id
    )
    assert pending == 1
    again = await react(world, alert.event_id, "🔓", MODERATOR_2, 2)
    assert answer(again) == f"Croix-Rousse ({world.team_id}) n'était plus verrouillé."


async def sent_alert(world: World, kind: str) -> tuple[str, str]:
    """Send what is pending; the newest alert of ``kind``: (its message id, its text)."""
    bot = FakeBot(client=FakeClient({ADMIN_ROOM: object()}))
    await world.sender().round(bot)  # type: ignore[arg-type]
    alert = (await world.moderation.alerts.of_kind(kind))[0]
    assert alert.event_id is not None
    [text] = [str(c["body"]) for _, key, c in bot.sent if key == alert_key(alert)]
    return alert.event_id, text


async def test_a_lock_by_a_moderator_is_told_and_unlocked_by_reaction(world: World) -> None:
    [room] = [r for r in await world.moderation.rooms.all() if r.room_id == TEAM_ROOM]
    assert await world.moderation.set_lockdown(room, locked=True, by=MODERATOR)
    message, text = await sent_alert(world, "lockdown")
    assert text == (
        f"🔒 Croix-Rousse est verrouillé ({MODERATOR}).\nRéagissez 🔓 pour le déverrouiller."
    )
    # Locking again changes nothing and tells nobody.
    assert not await world.moderation.set_lockdown(room, locked=True, by=MODERATOR_2)
    assert len(await world.moderation.alerts.pending()) == 0

    bot = await react(world, message, "🔓", MODERATOR_2)
    assert answer(bot) == f"🔓 {MODERATOR_2} a déverrouillé Croix-Rousse ({world.team_id})."
    assert await world.moderation.guard.lockdown(TEAM_ROOM) is None
    _, unlocked = await sent_alert(world, "lockdown")
    assert unlocked == f"🔓 Croix-Rousse est déverrouillé ({MODERATOR_2})."
