"""The moderation bot's protections and !signaler on both engines, with stand-ins for the Matrix
side (a matrix-nio room built in memory, a bot that records what it sends, a homeserver that
records the ban rules written): what is removed, kicked, struck, alerted, banned, and what the
author reads. (Against the real Synapse: tests/integration/test_moderation_protections.py.)"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from mautrix.util.async_db import Database
from nio import MatrixRoom

from bots import agenda
from bots import moderation as moderation_bot
from bots.commands import CommandContext, CommandRegistry, Reply
from bots.moderation_protections import ProtectionWatcher
from bots.moderation_reports import register_report_commands
from bots.moderation_services import ModerationServices
from bots.services import BotServices
from bridge.db import create_database
from bridge.db.clock import now_ms
from bridge.db.policy import RoomPurpose
from bridge.db.room_guard import RoomGuard
from bridge.db.spaces import SpaceRepository
from bridge.db.teams import TeamRepository
from bridge.domain.moderation.protections import Protection
from bridge.domain.teams import TeamService
from ralliement.config_schema import ModerationConfig

BOT = "@ralliement_moderation:localhost"
APPSERVICE = "@ralliement:localhost"
TEAM_ROOM = "!team:localhost"
ADMIN_ROOM = "!admin:localhost"
POLICY_ROOM = "!bans:localhost"
REFERENT = "@referent:localhost"
MANAGER = "@manager:localhost"
TROLL = "@troll:localhost"
MEMBER = "@member:localhost"
SETTINGS = ModerationConfig(
    moderators=(),
    protections={},
    join_wave_joins=10,
    join_wave_seconds=60,
    words=("connard", r"re:\bsal[o0]pe\b"),  # a pattern sets its own boundaries
    strikes_before_ban=2,
    new_member_minutes=60,
    max_mentions=3,
)


@dataclass
class FakeAPI:
    """The homeserver as the appservice token sees it: records the ban rules written."""

    requests: list[tuple[str, str, dict[str, Any] | None, str | None]] = field(default_factory=list)

    async def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        access_token: str | None = None,
        as_user: str | None = None,
    ) -> dict[str, Any]:
        self.requests.append((method, path, body, as_user))
        return {"event_id": f"$rule{len(self.requests)}"}


@dataclass
class FakeBot:
    """What the watcher uses of the bot: sending (the key names the transaction)."""

    sent: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    async def send_message(
        self, room_id: str, content: dict[str, Any], *, key: str, event_type: str = "m.room.message"
    ) -> str:
        self.sent.append((room_id, key, content))
        return f"$sent{len(self.sent)}"


@dataclass
class World:
    db: Database
    api: FakeAPI
    moderation: ModerationServices
    bot: FakeBot
    room: MatrixRoom
    watcher: ProtectionWatcher

    async def say(self, sender: str, content: dict[str, Any], event_id: str, **extra: Any) -> None:
        event = {
            "type": "m.room.message",
            "sender": sender,
            "event_id": event_id,
            "origin_server_ts": now_ms(),
            "content": content,
            **extra,
        }
        await self.watcher.message(self.bot, self.room, event)  # type: ignore[arg-type]

    async def member(self, user_id: str, event_id: str, name: str | None, **extra: Any) -> None:
        content: dict[str, Any] = {"membership": "join"}
        if name is not None:
            content["displayname"] = name
        event = {
            "type": "m.room.member",
            "state_key": user_id,
            "sender": user_id,
            "event_id": event_id,
            "origin_server_ts": now_ms(),
            "content": content,
            **extra,
        }
        await self.watcher.member(self.bot, self.room, event)  # type: ignore[arg-type]

    async def actions(self) -> list[tuple[str, str, str | None, str]]:
        rows = await self.db.fetch(
            "SELECT action, user_id, target_event, reason FROM moderation_action ORDER BY id"
        )
        return [(r["action"], r["user_id"], r["target_event"], r["reason"]) for r in rows]

    async def alerts(self) -> list[dict[str, Any]]:
        rows = await self.db.fetch(
            "SELECT kind, payload FROM moderation_alert WHERE kind = 'protection' ORDER BY id"
        )
        return [json.loads(r["payload"]) for r in rows]

    async def strikes(self, user_id: str) -> int:
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM moderation_strike WHERE user_id = $1", user_id
            )
        )


def team_room() -> MatrixRoom:
    room = MatrixRoom(TEAM_ROOM, BOT, encrypted=True)
    for user_id, name in [
        (APPSERVICE, "Ralliement"),
        (BOT, "Modération"),
        (REFERENT, "Rita Référente"),
        (MANAGER, "Marc Gestionnaire"),
        (TROLL, "Théo"),
        (MEMBER, "Mona"),
    ]:
        room.add_member(user_id, name, None)
    room.power_levels.users.update({REFERENT: 100, MANAGER: 50, BOT: 50})
    return room


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[World]:
    db = create_database(database_url)
    await db.start()
    try:
        teams = TeamService(TeamRepository(db))
        team = await teams.create_team("Croix-Rousse", "local", None, None, None, REFERENT)
        await teams.repository.set_room(team.id, TEAM_ROOM)
        api = FakeAPI()
        moderation = ModerationServices.on_database(
            db,
            settings=SETTINGS,
            api=api,  # type: ignore[arg-type]
            bot_user_id=BOT,
            our_users=frozenset({BOT, APPSERVICE}),
        )
        await moderation.policy.set_room(RoomPurpose.ADMIN, ADMIN_ROOM, alias=None, added_by=None)
        await moderation.policy.set_room(RoomPurpose.POLICY, POLICY_ROOM, alias=None, added_by=None)
        watcher = ProtectionWatcher(moderation, "fr")
        yield World(db, api, moderation, FakeBot(), team_room(), watcher)
    finally:
        await db.stop()


def text(body: str, **extra: Any) -> dict[str, Any]:
    return {"msgtype": "m.text", "body": body, **extra}


def pill(user_id: str) -> str:
    return f'<a href="https://matrix.to/#/{user_id}">{user_id}</a>'


# --- Forbidden words -----------------------------------------------------------------------


async def test_forbidden_word_removed_author_warned_struck_and_alerted(world: World) -> None:
    await world.say(TROLL, text("Quel CONNÂRD ce maire"), "$insult")

    assert await world.actions() == [
        ("redact", TROLL, "$insult", "Message retiré par la modération")
    ]
    assert await world.strikes(TROLL) == 1
    assert await world.alerts() == [
        {
            "protection": "words",
            "user_id": TROLL,
            "room_id": TEAM_ROOM,
            "event_id": "$insult",
            "action": "redacted",
            "strikes": 1,
            "excerpt": "Quel CONNÂRD ce maire",
        }
    ]
    [(room_id, key, warning)] = world.bot.sent
    assert (room_id, key) == (TEAM_ROOM, "protection/$insult")
    assert warning["msgtype"] == "m.notice"
    assert warning["body"] == (
        "Théo, votre message a été retiré : il contenait un mot interdit dans les salons de la "
        "campagne. Encore 1 avertissement et vous serez exclu des salons de la campagne."
    )
    assert "connard" not in warning["formatted_body"].lower()
    assert f'href="https://matrix.to/#/{TROLL}"' in warning["formatted_body"]
    assert warning["m.mentions"] == {"user_ids": [TROLL]}
    assert warning["m.relates_to"] == {"m.in_reply_to": {"event_id": "$insult"}}
    assert world.api.requests == []  # no ban yet


async def test_same_event_twice_strikes_once_and_warns_with_the_same_key(world: World) -> None:
    await world.say(TROLL, text("connard"), "$insult")
    restarted = ProtectionWatcher(world.moderation, "fr")  # as after a restart
    await restarted.message(world.bot, world.room, {  # type: ignore[arg-type]
        "type": "m.room.message", "sender": TROLL, "event_id": "$insult",
        "origin_server_ts": now_ms(), "content": text("connard"),
    })  # fmt: skip
    assert len(await world.actions()) == 1
    assert len(await world.alerts()) == 1
    assert await world.strikes(TROLL) == 1
    assert [key for _, key, _ in world.bot.sent] == ["protection/$insult"] * 2


async def test_ban_after_k_strikes(world: World) -> None:
    await world.say(TROLL, text("connard"), "$one")
    await world.say(TROLL, text("s@lope", **{"m.new_content": text("sal0pe")}), "$two")

    assert await world.strikes(TROLL) == 2
    assert [a["action"] for a in await world.alerts()] == ["redacted", "banned"]
    [(method, path, body, as_user)] = world.api.requests
    assert method == "PUT" and as_user == BOT
    assert path == (
        f"/_matrix/client/v3/rooms/{quote(POLICY_ROOM)}/state/m.policy.rule.user/"
        "rule%3A%40troll%3Alocalhost"
    )
    assert body == {"entity": TROLL, "recommendation": "m.ban", "reason": "2 avertissements"}
    last = world.bot.sent[-1][2]["body"]
    assert last.endswith(
        "C'était le dernier avertissement : vous êtes exclu de tous les salons de la campagne."
    )


async def test_ban_after_k_strikes_without_a_policy_list_bans_room_by_room(world: World) -> None:
    await world.db.execute("DELETE FROM moderation_room WHERE purpose = 'policy'")
    await SpaceRepository(world.db).save("root", "!root:localhost")

    await world.say(TROLL, text("connard"), "$one")
    await world.say(TROLL, text("connard !"), "$two")

    assert world.api.requests == []  # no list to write the rule in
    bans = [(kind, user) for kind, user, _, _ in await world.actions() if kind == "ban"]
    assert bans == [("ban", TROLL), ("ban", TROLL)]
    rooms = await world.db.fetch(
        "SELECT room_id FROM moderation_action WHERE action = 'ban' ORDER BY room_id"
    )
    assert [row["room_id"] for row in rooms] == ["!root:localhost", TEAM_ROOM]


async def test_edit_judged_on_its_new_content(world: World) -> None:
    edit = text(
        "* bonjour",
        **{
            "m.new_content": text("bonjour connard"),
            "m.relates_to": {"rel_type": "m.replace", "event_id": "$original"},
        },
    )
    await world.say(TROLL, edit, "$edit")
    assert await world.actions() == [("redact", TROLL, "$edit", "Message retiré par la modération")]


@pytest.mark.parametrize("sender", [REFERENT, MANAGER, BOT, APPSERVICE])
async def test_moderators_and_bots_are_not_filtered(world: World, sender: str) -> None:
    await world.say(sender, text("connard"), "$fine")
    assert await world.actions() == []
    assert world.bot.sent == []


async def test_only_team_rooms_are_watched(world: World) -> None:
    for room_id in (ADMIN_ROOM, "!dm:localhost"):
        room = MatrixRoom(room_id, BOT, encrypted=True)
        room.add_member(TROLL, "Théo", None)
        event = {"type": "m.room.message", "sender": TROLL, "event_id": f"${room_id}",
                 "origin_server_ts": now_ms(), "content": text("connard")}  # fmt: skip
        await world.watcher.message(world.bot, room, event)  # type: ignore[arg-type]
    assert await world.actions() == []


async def test_protection_switched_off_in_the_room(world: World) -> None:
    await world.moderation.guard.switch(TEAM_ROOM, "words", enabled=False, set_by=REFERENT)
    await world.say(TROLL, text("connard"), "$allowed")
    assert await world.actions() == []
    await world.moderation.guard.switch("", "mentions", enabled=False, set_by=REFERENT)
    await world.say(TROLL, text("@room venez"), "$room")
    assert await world.actions() == []


async def test_no_false_positive(world: World) -> None:
    await world.say(TROLL, text("Le conseil municipal vote la salopette"), "$fine")
    assert await world.actions() == []


# --- New members' links and media ----------------------------------------------------------


async def test_links_only_first_message_of_a_new_member(world: World) -> None:
    await world.member(MEMBER, "$join", "Mona")
    await world.say(MEMBER, text("https://arnaque.example.com/promo"), "$spam")
    await world.say(MEMBER, {"msgtype": "m.image", "body": "promo.png"}, "$image")
    await world.say(MEMBER, text("Bonjour, voici notre site : https://ok.example.org"), "$fine")
    assert [(a[0], a[2]) for a in await world.actions()] == [
        ("redact", "$spam"),
        ("redact", "$image"),
    ]
    assert "les nouveaux membres ne peuvent pas encore" in world.bot.sent[0][2]["body"]


async def test_links_from_a_member_who_is_not_new(world: World) -> None:
    # Joined two hours ago (the join log), or before anyone watched: not new.
    async with world.db.acquire() as conn:  # type: ignore[var-annotated]
        await RoomGuard.record_join(conn, TEAM_ROOM, MEMBER, now_ms() - 2 * 3_600_000, "$old")
    await world.say(MEMBER, text("https://ok.example.org"), "$link")
    await world.say(TROLL, text("https://ok.example.org"), "$link2")
    assert await world.actions() == []


async def test_join_log_says_new(world: World) -> None:
    async with world.db.acquire() as conn:  # type: ignore[var-annotated]
        await RoomGuard.record_join(conn, TEAM_ROOM, TROLL, now_ms() - 60_000, "$recent")
    await world.say(TROLL, {"msgtype": "m.file", "body": "virus.exe"}, "$file")
    await world.say(TROLL, text("ok"), "$text", type="m.sticker")
    assert [(a[0], a[2]) for a in await world.actions()] == [
        ("redact", "$file"),
        ("redact", "$text"),
    ]


# --- Mentions ------------------------------------------------------------------------------


async def test_too_many_mentions(world: World) -> None:
    people = [f"@p{n}:localhost" for n in range(4)]
    html = " ".join(pill(p) for p in people)
    await world.say(TROLL, text("coucou", format="org.matrix.custom.html", formatted_body=html),
                    "$many")  # fmt: skip
    await world.say(TROLL, text("coucou", **{"m.mentions": {"user_ids": people[:3]}}), "$three")
    await world.say(
        TROLL, text("Rita Référente, Marc Gestionnaire, Mona et Ralliement : regardez !"), "$names"
    )
    assert [a[2] for a in await world.actions()] == ["$many", "$names"]
    assert "au plus 3 par message" in world.bot.sent[0][2]["body"]


async def test_room_mention_by_a_member(world: World) -> None:
    await world.say(TROLL, text("@room venez tous"), "$room")
    assert [a[2] for a in await world.actions()] == ["$room"]
    await world.say(REFERENT, text("@room réunion ce soir"), "$ok")
    assert len(await world.actions()) == 1


# --- Display names -------------------------------------------------------------------------


async def test_forbidden_display_name_kicked(world: World) -> None:
    await world.member(TROLL, "$join", "Le Connard")
    assert await world.actions() == [
        (
            "kick",
            TROLL,
            None,
            "Nom d'affichage contraire aux règles de la campagne : changez-le avant de revenir",
        )
    ]
    [alert] = await world.alerts()
    assert alert["protection"] == Protection.DISPLAY_NAMES.value
    assert alert["action"] == "kicked" and alert["excerpt"] == "Le Connard"
    assert world.bot.sent == []  # kicked with a reason; nothing said in the room

    # Another change of the same member (e.g. the avatar) with the same name: judged already.
    await world.member(
        TROLL, "$avatar", "Le Connard",
        unsigned={"prev_content": {"membership": "join", "displayname": "Le Connard"}},
    )  # fmt: skip
    assert len(await world.actions()) == 1
    # A new name with another forbidden word: kicked again, second strike, banned.
    await world.member(
        TROLL, "$rename", "sal0pe",
        unsigned={"prev_content": {"membership": "join", "displayname": "Le Connard"}},
    )  # fmt: skip
    assert [a["action"] for a in await world.alerts()] == ["kicked", "banned"]
    assert len(world.api.requests) == 1


async def test_fine_display_names_and_moderators(world: World) -> None:
    await world.member(MEMBER, "$join", "Mona Lisa")
    await world.member(MANAGER, "$rename", "Connard assumé")
    assert await world.actions() == []


# --- !signaler -----------------------------------------------------------------------------


def registry(world: World) -> CommandRegistry:
    services = BotServices.on_database(
        world.db, domain="localhost", zone=ZoneInfo("Europe/Paris"), moderation=world.moderation
    )
    commands = CommandRegistry()
    register_report_commands(commands, services)
    return commands


async def answer(
    world: World,
    sender: str,
    args: str = "",
    *,
    reply_to: str | None = "$msg",
    room_id: str = TEAM_ROOM,
    replied: dict[str, Any] | None = None,
    event_id: str = "$command",
) -> Reply:
    async def read_event(event_id: str) -> dict[str, Any] | None:
        return replied

    command = registry(world).find("signaler")
    assert command is not None
    context = CommandContext(
        sender, room_id, event_id, args, "fr", reply_to=reply_to, read_event=read_event
    )
    return await command.handler(context)


async def run(world: World, sender: str, args: str = "", **options: Any) -> str:
    """What the room gets (refusals; a reply meant for the DM when no DM can be had)."""
    return (await answer(world, sender, args, **options)).body


async def test_help_lists_signaler_where_it_works(world: World) -> None:
    """In a team room the agenda bot answers !aide: it lists !signaler; the moderation bot's own
    !aide (in the admin room) lists only the admin commands."""

    async def help_of(registry: CommandRegistry, room_id: str, language: str = "fr") -> str:
        command = registry.find("aide")
        assert command is not None
        context = CommandContext(MEMBER, room_id, "$help", "", language)
        return (await command.handler(context)).body

    services = BotServices.on_database(
        world.db, domain="localhost", zone=ZoneInfo("Europe/Paris"), moderation=world.moderation
    )
    team_help = await help_of(agenda.build_registry(services), TEAM_ROOM)
    assert (
        "• !signaler / !report [raison] — dans le salon d'une équipe, en réponse à un message : "
        "le signale aux modérateurs de la campagne, avec une raison si vous voulez (« !signaler "
        "propos insultants »)"
    ) in team_help.splitlines()
    english = await help_of(agenda.build_registry(services), TEAM_ROOM, "en")
    assert "• !signaler / !report [raison] — in a team's room, in reply to a message" in english

    admin_help = await help_of(moderation_bot.build_registry(services), ADMIN_ROOM)
    assert "!ban / !bannir" in admin_help and "!demute / !unmute" in admin_help
    assert "!signaler" not in admin_help

    # Without the moderation bot, the agenda bot does not offer !signaler.
    without = BotServices.on_database(world.db, domain="localhost", zone=ZoneInfo("Europe/Paris"))
    assert "!signaler" not in await help_of(agenda.build_registry(without), TEAM_ROOM)


USAGE = (
    "Répondez au message à signaler avec !signaler [raison], par exemple « !signaler propos "
    "insultants »."
)


async def test_report_reaches_the_admin_room_once(world: World) -> None:
    message = {"sender": TROLL, "content": text("tu vas voir ce soir " + "x" * 300)}
    reply = await answer(world, MEMBER, "menace", replied=message)
    # The thanks go to the reporter's DM with the bot; the room gets them only without a DM.
    assert reply.privately is not None and reply.privately.body == (
        f"🚩 Merci, votre signalement du message de {TROLL} dans Croix-Rousse est arrivé aux "
        "modérateurs de la campagne ; ils vont le regarder. Je vous réponds ici, en privé, et "
        "j'ai retiré votre commande du salon (il n'y reste qu'un message supprimé)."
    )
    assert reply.body == (
        "🚩 Merci, votre signalement est arrivé aux modérateurs de la campagne ; ils vont "
        "regarder ce message. J'ai retiré votre commande du salon."
    )
    [report] = await world.moderation.reports.open_reports()
    assert (report.room_id, report.event_id, report.reported_user, report.reporter) == (
        TEAM_ROOM,
        "$msg",
        TROLL,
        MEMBER,
    )
    assert report.reason == "menace"
    assert len(report.excerpt) == 200 and report.excerpt.startswith("tu vas voir ce soir")
    [alert] = await world.moderation.alerts.of_kind("report")
    assert alert.payload == {"report_id": report.id}
    # The command (and its reason) leaves the room.
    assert await world.actions() == [
        ("redact", MEMBER, "$command", "Signalement transmis aux modérateurs")
    ]

    again = await answer(world, MEMBER, replied=message, event_id="$again")
    already = (
        "Vous avez déjà signalé ce message : les modérateurs l'ont reçu. J'ai retiré cette "
        "nouvelle commande du salon."
    )
    assert again.privately is not None and again.privately.body == already == again.body
    assert len(await world.moderation.alerts.of_kind("report")) == 1
    assert ("redact", MEMBER, "$again", "Signalement transmis aux modérateurs") in (
        await world.actions()
    )


@pytest.mark.parametrize(
    ("kwargs", "first"),
    [
        ({"reply_to": None}, "!signaler se tape en réponse au message à signaler."),
        (
            {"room_id": ADMIN_ROOM, "replied": {"sender": TROLL, "content": text("x")}},
            "!signaler sert à signaler un message du salon d'une équipe : tapez-le là-bas.",
        ),
        ({"replied": None}, "Je n'arrive pas à lire ce message"),
        ({"replied": {"sender": TROLL, "content": {}}}, "Je n'arrive pas à lire ce message"),
        ({"replied": {"sender": BOT, "content": text("x")}}, "Ce message vient d'un bot"),
        ({"replied": {"sender": MEMBER, "content": text("x")}}, "C'est votre propre message"),
    ],
)
async def test_report_refusals_end_with_the_usage(
    world: World, kwargs: dict[str, Any], first: str
) -> None:
    answer = await run(world, MEMBER, **kwargs)
    assert answer.startswith(first)
    assert answer.endswith(USAGE)
    assert await world.moderation.reports.open_reports() == []
