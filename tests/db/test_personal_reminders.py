"""The reminders bot on a real database (both engines): its commands as a user reads their
replies, and what its scheduler loop sends, where, once, late or not, to a bot that records the
messages (the homeserver is played: one message per room and transaction key).

"Now" is Thursday 19 November 2026, 14:30 in Paris, unless a test moves the clock.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bots import reminders
from bots.commands import CommandContext, CommandRegistry, Reply, parse_command
from bots.dispatch import run_command
from bots.reminders_delivery import ReminderSender
from bots.reminders_views import REMINDER_KEY
from bots.services import BotServices
from bridge.db import create_database
from bridge.db.events import Event
from bridge.db.reminders import Reminder
from bridge.db.teams import Team, TeamKind
from bridge.domain.events import EventPlace

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 19, 14, 30, tzinfo=PARIS)
ALICE, BOB, CAROL = (f"@{name}:localhost" for name in ("alice", "bob", "carol"))
BOT = "@ralliement_rappels:localhost"
DM, TEAM_ROOM, GROUP, ALICE_DM = "!dm:localhost", "!team:localhost", "!group:l", "!alice-dm:l"
MARKET = EventPlace("Marché de la Croix-Rousse, 69004 Lyon", "Lyon 4e Arrondissement", "69004")
USAGE = "Écrivez : !rappel <quand> <quoi>, par exemple « !rappel demain 9h appeler Marie »"


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


@dataclass
class Clock:
    now: datetime = NOW


@dataclass
class FakeBot:
    """What the sender needs of a bot: its rooms (as its sync knows them) and one send. The
    homeserver keeps one message per room and transaction key, as Synapse does."""

    rooms: dict[str, set[str]]
    messages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    refuse: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.identity = SimpleNamespace(user_id=BOT)
        self.client = SimpleNamespace(
            rooms={
                room_id: SimpleNamespace(
                    room_id=room_id, users=dict.fromkeys(members), member_count=len(members)
                )
                for room_id, members in self.rooms.items()
            }
        )

    async def send_message(self, room_id: str, content: dict[str, Any], *, key: str) -> str:
        if room_id in self.refuse:
            raise RuntimeError(f"sending to {room_id} failed: M_FORBIDDEN")
        self.messages.setdefault((room_id, key), content)
        return f"$event-{len(self.messages)}"

    def sent(self, room_id: str) -> list[dict[str, Any]]:
        return [content for (room, _), content in self.messages.items() if room == room_id]


class FakeDirectRooms:
    """The DM finder: each person's DM with the bot is known."""

    async def direct_room(self, bot: Any, user_id: str) -> str | None:
        return {ALICE: ALICE_DM, BOB: DM}.get(user_id)


@dataclass
class Setup:
    services: BotServices
    registry: CommandRegistry
    clock: Clock
    team: Team

    async def say(
        self,
        text: str,
        *,
        sender: str = ALICE,
        room: str = DM,
        language: str = "fr",
        reply_to: str | None = None,
        replied: dict[str, Any] | None = None,
    ) -> Reply:
        parsed = parse_command(text)
        assert parsed is not None
        command = self.registry.find(parsed.name)
        assert command is not None, text

        async def read_event(event_id: str) -> dict[str, Any] | None:
            return replied if event_id == reply_to else None

        context = CommandContext(sender, room, "$command", parsed.args, language,
                                 reply_to=reply_to, read_event=read_event)  # fmt: skip
        return await run_command(command, context, logging.getLogger("tests"))

    @property
    def repository(self) -> Any:
        assert self.services.reminders is not None
        return self.services.reminders.repository

    async def mine(self, user_id: str = ALICE) -> list[Reminder]:
        return [r for r in await self.repository.scheduled_of(user_id) if r.kind == "personal"]

    def sender(self, bot: FakeBot) -> tuple[ReminderSender, Any]:
        assert self.services.reminders is not None
        sender = ReminderSender(self.services.reminders, self.services.events, self.services.teams,
                                FakeDirectRooms(), "fr", self.services.clock)  # fmt: skip
        return sender, sender.scheduler(bot)  # type: ignore[arg-type]

    async def deliver(self, bot: FakeBot) -> int:
        """Run the scheduler until nothing is due at the clock's time."""
        sender, scheduler = self.sender(bot)
        total = 0
        while handled := await scheduler.run_once(now=sender.now_ms()):
            total += handled
            if sender._failures:
                break
        return total

    async def market(self, start: datetime) -> Event:
        return await self.services.events.create_event(
            self.team.id, ALICE, "Tractage au marché", start, MARKET, now=NOW
        )


@pytest.fixture
async def setup(database_url: str) -> AsyncIterator[Setup]:
    db = create_database(database_url)
    await db.start()
    clock = Clock()
    services = BotServices.on_database(db, domain="localhost", zone=PARIS, clock=lambda: clock.now)
    team = await services.teams.create_team_at("Les Insoumis du 3e", TeamKind.LOCAL, "69003",
                                               ALICE)  # fmt: skip
    await services.teams.repository.set_room(team.id, TEAM_ROOM)
    await services.teams.join(team.id, BOB)
    try:
        yield Setup(services, reminders.build_registry(services), clock, team)
    finally:
        await db.stop()


# --- !rappel, !rappels, !rappel annuler --------------------------------------------------------


async def test_set_list_and_cancel_a_reminder(setup: Setup) -> None:
    reply = await setup.say("!rappel demain 18h appeler Marie")
    [stored] = await setup.mine()
    assert reply.body.splitlines() == [
        "⏰ C'est noté : le ven. 20 nov. à 18h00 (dans 28 h), je vous rappellerai « appeler "
        "Marie ».",
        f"Identifiant {stored.id} ; pour l'annuler : !rappel annuler {stored.id}",
    ]
    assert (stored.kind, stored.room_id, stored.text, stored.timezone, stored.recurrence) == (
        "personal", DM, "appeler Marie", "Europe/Paris", None
    )  # fmt: skip
    assert stored.due_at == ms(datetime(2026, 11, 20, 18, 0, tzinfo=PARIS))
    assert len(stored.id) == 6

    await setup.say("!rappel tous les mardis à 19h point d'équipe")
    listed = await setup.say("!rappels")
    weekly = next(r for r in await setup.mine() if r.recurrence)
    assert listed.body.splitlines() == [
        "Vos 2 rappels à venir :",
        f"• {stored.id} — ven. 20 nov. à 18h00 — appeler Marie",
        f"• {weekly.id} — mar. 24 nov. à 19h00 — point d'équipe (🔁 tous les mardis à 19h00)",
        "Pour en annuler un : !rappel annuler <id>.",
    ]
    assert listed.html and f"<code>{stored.id}</code>" in listed.html

    cancelled = await setup.say(f"!rappel annuler #{stored.id.upper()}")
    assert cancelled.body == f"🗑️ Rappel {stored.id} annulé : « appeler Marie »."
    assert (await setup.repository.get(stored.id)).status == "cancelled"
    assert [r.id for r in await setup.mine()] == [weekly.id]
    again = await setup.say(f"!rappels annuler {stored.id}")
    assert again.body.splitlines()[0] == f"Je ne trouve aucun rappel « {stored.id} » à venir à " \
        "votre nom."  # fmt: skip


async def test_in_english_with_a_repetition(setup: Setup) -> None:
    reply = await setup.say("!remind every tuesday at 7pm team call", language="en")
    [stored] = await setup.mine()
    assert reply.body.splitlines()[0] == (
        "⏰ Noted: I will remind you of “team call” every Tuesday at 19:00, the first time on "
        "Tue 24 Nov, 19:00 (in 5 days)."
    )
    listed = await setup.say("!reminders", language="en")
    assert f"• {stored.id} — Tue 24 Nov, 19:00 — team call (🔁 every Tuesday at 19:00)" in (
        listed.body
    )
    cancelled = await setup.say(f"!remind cancel {stored.id}", language="en")
    assert cancelled.body == (
        f"🗑️ Reminder {stored.id} cancelled (every Tuesday at 19:00): “team call”."
    )


async def test_nobody_cancels_someone_elses_reminder(setup: Setup) -> None:
    await setup.say("!rappel demain 9h tracts")
    [stored] = await setup.mine()
    refused = await setup.say(f"!rappel annuler {stored.id}", sender=BOB)
    assert refused.body.startswith(f"Je ne trouve aucun rappel « {stored.id} »")
    assert (await setup.repository.get(stored.id)).status == "scheduled"


@pytest.mark.parametrize(
    ("typed", "first_line", "last_line"),
    [
        ("!rappel", "Il manque le moment et le texte du rappel.", USAGE),
        ("!rappel appeler Marie",
         "Je ne trouve pas quand vous le rappeler dans « appeler Marie ».", USAGE),
        ("!rappel hier 18h appeler Marie",
         "« hier 18h » est déjà passé : choisissez un moment à venir.", USAGE),
        ("!rappel demain 9h", "Il manque ce que je dois vous rappeler demain 9h.", USAGE),
        ("!rappel samedi 25h tracts", "« 25h » n'est pas une heure de la journée.", USAGE),
        ("!rappel annuler", "Il manque l'identifiant du rappel à annuler.",
         "Écrivez : !rappel annuler <id>, par exemple « !rappel annuler k3f9q2 »"),
        ("!rappel annuler zzzzzz", "Je ne trouve aucun rappel « zzzzzz » à venir à votre nom.",
         "Écrivez : !rappel annuler <id>"),
    ],
)  # fmt: skip
async def test_every_malformed_command_says_what_and_how(
    setup: Setup, typed: str, first_line: str, last_line: str
) -> None:
    reply = await setup.say(typed)
    lines = reply.body.splitlines()
    assert lines[0] == first_line
    assert lines[-1].startswith(last_line)
    assert await setup.mine() == []


async def test_malformed_in_english(setup: Setup) -> None:
    reply = await setup.say("!remind call Marie", language="en")
    assert reply.body.splitlines() == [
        "I can't find when to remind you in “call Marie”.",
        "Type: !remind <when> <what>, for example “!remind tomorrow 9am call Marie”, “!remind "
        "in 2 hours fetch the leaflets”, “!remind next monday 6pm meeting” or “!remind every "
        "tuesday at 7pm team call”.",
    ]


async def test_too_many_reminders(setup: Setup) -> None:
    for _ in range(100):
        await setup.say("!rappel demain 9h tracts")
    refused = await setup.say("!rappel demain 10h encore")
    assert refused.body.startswith("Vous avez déjà 100 rappels prévus")
    assert len(await setup.mine()) == 100


# --- !fuseau, !preferences ---------------------------------------------------------------------


async def test_a_time_zone_of_ones_own(setup: Setup) -> None:
    shown = await setup.say("!fuseau")
    assert shown.body.startswith("🌍 Votre fuseau horaire : Europe/Paris (il y est 14h30).")
    assert "C'est celui de la campagne" in shown.body
    changed = await setup.say("!fuseau america/cayenne")
    assert changed.body.startswith("🌍 Fuseau horaire enregistré : America/Cayenne (il y est "
                                   "10h30).")  # fmt: skip
    reply = await setup.say("!rappel demain 9h appeler la permanence")
    [stored] = await setup.mine()
    assert stored.timezone == "America/Cayenne"
    assert stored.due_at == ms(datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("America/Cayenne")))
    assert "le ven. 20 nov. à 9h00 (heure de America/Cayenne)" in reply.body
    assert "— ven. 20 nov. à 9h00 — appeler la permanence" in (await setup.say("!rappels")).body

    refused = await setup.say("!fuseau Europe/Pariss")
    lines = refused.body.splitlines()
    assert lines[:3] == [
        "Je ne connais pas le fuseau horaire « Europe/Pariss » (il s'écrit Continent/Ville, en "
        "anglais).",
        "Vouliez-vous dire :",
        "• Europe/Paris",
    ]
    assert lines[-1] == (
        "Écrivez : !fuseau <fuseau horaire>, par exemple « !fuseau Europe/Paris », « !fuseau "
        "America/Cayenne » ou « !fuseau Indian/Reunion »."
    )


async def test_event_reminder_preferences_move_the_reminders(setup: Setup) -> None:
    shown = await setup.say("!preferences", sender=BOB)
    assert shown.body.splitlines()[:3] == [
        "Vos préférences :",
        "• rappels des événements où vous allez : 24 h et 1 h avant (par défaut)",
        "• fuseau horaire : Europe/Paris (par défaut)",
    ]
    event = await setup.market(datetime(2026, 11, 21, 10, 0, tzinfo=PARIS))
    await setup.services.events.rsvp(event.id, BOB, going=True, now=NOW)

    async def bobs() -> list[datetime]:
        rows = await setup.repository.scheduled_of(BOB)
        return [datetime.fromtimestamp(r.due_at / 1000, PARIS) for r in rows
                if r.kind == "event_attendee"]  # fmt: skip

    assert [d.strftime("%d %H:%M") for d in await bobs()] == ["20 10:00", "21 09:00"]
    changed = await setup.say("!preferences rappels 2h, 30 min", sender=BOB)
    assert (
        changed.body == "✅ Je vous rappellerai les événements où vous allez 2 h et 30 min avant."
    )
    assert [d.strftime("%d %H:%M") for d in await bobs()] == ["21 08:00", "21 09:30"]
    off = await setup.say("!preferences reminders off", sender=BOB, language="en")
    assert off.body.startswith("🔕 I will no longer remind you of the events you are going to.")
    assert await bobs() == []
    assert "aucun (off)" in (await setup.say("!preferences rappels", sender=BOB)).body

    refused = await setup.say("!preferences rappels bientôt", sender=BOB)
    assert refused.body.splitlines()[0].startswith("Je ne comprends pas « bientôt » comme délais")
    assert refused.body.splitlines()[-1].startswith("Écrivez : !preferences rappels <délais")
    unknown = await setup.say("!preferences couleur bleu")
    assert unknown.body.splitlines()[0] == "Je ne connais pas la préférence « couleur »."


# --- !plus-tard ---------------------------------------------------------------------------------


async def test_snooze_a_delivered_reminder_by_replying(setup: Setup) -> None:
    await setup.say("!rappel dans 1 heure relancer la mairie")
    [first] = await setup.mine()
    bot = FakeBot({DM: {BOT, ALICE}})
    setup.clock.now = NOW + timedelta(hours=1)
    assert await setup.deliver(bot) == 1
    [delivered] = bot.sent(DM)
    replied = {"sender": BOT, "content": delivered}

    reply = await setup.say("!plus-tard 30 min", reply_to="$delivered", replied=replied)
    [again] = await setup.mine()
    assert reply.body == f"⏰ D'accord, je vous le rappelle le jeu. 19 nov. à 16h00 (dans 30 min)" \
        f". Identifiant {again.id}."  # fmt: skip
    assert (again.text, again.room_id, again.recurrence) == ("relancer la mairie", DM, None)
    assert again.id != first.id
    english = await setup.say("!later tomorrow 8am", reply_to="$d", replied=replied,
                              language="en")  # fmt: skip
    assert english.body.startswith("⏰ All right, I will remind you on Fri 20 Nov, 08:00")

    not_a_reply = await setup.say("!plus-tard 1h")
    assert not_a_reply.body.splitlines() == [
        "!plus-tard se tape en réponse au rappel à repousser.",
        "Répondez à un rappel reçu avec !plus-tard <durée ou moment>, par exemple « !plus-tard "
        "1h », « !plus-tard 30 min » ou « !plus-tard demain 9h ».",
    ]
    other = {"sender": BOB, "content": {"msgtype": "m.text", "body": "bonjour"}}
    assert (await setup.say("!plus-tard 1h", reply_to="$x", replied=other)).body.startswith(
        "Le message auquel vous répondez n'est pas un de mes rappels."
    )
    unreadable = await setup.say("!plus-tard 1h", reply_to="$y", replied=None)
    assert unreadable.body.startswith("Le message auquel vous répondez n'est pas")
    assert (await setup.say("!plus-tard 1h", sender=BOB, reply_to="$d", replied=replied)).body \
        == "Ce rappel ne vous était pas destiné : posez le vôtre avec !rappel."  # fmt: skip
    missing = await setup.say("!plus-tard", reply_to="$d", replied=replied)
    assert missing.body.splitlines()[-1].startswith("Répondez à un rappel reçu avec !plus-tard")
    unknown = await setup.say("!plus-tard bientôt", reply_to="$d", replied=replied)
    assert unknown.body.splitlines()[0] == (
        "Je ne comprends pas « bientôt » comme durée ou comme moment."
    )


# --- Delivery -----------------------------------------------------------------------------------


async def test_each_due_reminder_is_sent_once_where_it_was_set(setup: Setup) -> None:
    await setup.say("!rappel dans 1 heure appeler Marie")
    await setup.say("!rappel dans 1 heure coller les affiches", room=GROUP)
    await setup.say("!rappel dans 2 heures plus tard")
    bot = FakeBot({DM: {BOT, ALICE}, GROUP: {BOT, ALICE, BOB}})
    setup.clock.now = NOW + timedelta(hours=1, seconds=5)
    assert await setup.deliver(bot) == 2
    [in_dm] = bot.sent(DM)
    assert in_dm["body"].splitlines() == [
        "⏰ Rappel : appeler Marie",
        "Répondez « !plus-tard 1h » pour que je vous le rappelle plus tard.",
    ]
    assert in_dm["msgtype"] == "m.text" and in_dm["m.mentions"] == {"user_ids": [ALICE]}
    [in_group] = bot.sent(GROUP)
    assert in_group["body"].startswith(f"⏰ Rappel pour {ALICE} : coller les affiches")
    assert f'<a href="https://matrix.to/#/{ALICE}">' in in_group["formatted_body"]
    ids = {content[REMINDER_KEY]["id"] for content in bot.messages.values()}
    assert [(await setup.repository.get(i)).status for i in sorted(ids)] == ["sent", "sent"]

    assert await setup.deliver(bot) == 0  # nothing sent twice
    assert len(bot.messages) == 2


async def test_late_and_repeating_reminders(setup: Setup) -> None:
    await setup.say("!rappel tous les jours à 15h revue de presse")
    [daily] = await setup.mine()
    bot = FakeBot({DM: {BOT, ALICE}})
    # The bots were down from 14:45 until 18:00 on Friday: one message, late, then the next day.
    setup.clock.now = datetime(2026, 11, 20, 18, 0, tzinfo=PARIS)
    assert await setup.deliver(bot) == 1
    [late] = bot.sent(DM)
    assert late["body"].splitlines()[1] == "(en retard : le bot était arrêté)"
    assert late[REMINDER_KEY] == {"id": daily.id, "occurrence": 0}
    moved = await setup.repository.get(daily.id)
    assert moved.status == "scheduled" and moved.occurrence == 1
    assert moved.due_at == ms(datetime(2026, 11, 21, 15, 0, tzinfo=PARIS))
    setup.clock.now = datetime(2026, 11, 21, 15, 0, 1, tzinfo=PARIS)
    assert await setup.deliver(bot) == 1
    on_time = bot.sent(DM)[1]
    assert "(en retard" not in on_time["body"]
    assert on_time[REMINDER_KEY] == {"id": daily.id, "occurrence": 1}


async def test_a_room_left_sends_in_the_dm_and_a_refusal_is_tried_again(setup: Setup) -> None:
    await setup.say("!rappel dans 1 heure appeler Marie", room=GROUP)
    bot = FakeBot({GROUP: {BOT, BOB}, ALICE_DM: {BOT, ALICE}})  # Alice left the room
    setup.clock.now = NOW + timedelta(hours=1)
    assert await setup.deliver(bot) == 1
    assert bot.sent(ALICE_DM)[0]["body"].startswith("⏰ Rappel : appeler Marie")

    await setup.say("!rappel dans 2 heures tracts")
    refusing = FakeBot({DM: {BOT, ALICE}}, refuse={DM})
    setup.clock.now = NOW + timedelta(hours=3)  # said at 15:30: due at 17:30
    assert await setup.deliver(refusing) == 1
    assert refusing.messages == {}
    [kept] = await setup.mine()
    assert kept.status == "scheduled" and kept.text == "tracts"  # due again, not lost
    working = FakeBot({DM: {BOT, ALICE}})
    assert await setup.deliver(working) == 1
    assert len(working.sent(DM)) == 1


async def test_event_reminders_in_the_dm_the_team_room_and_the_organisers(setup: Setup) -> None:
    start = datetime(2026, 11, 21, 10, 0, tzinfo=PARIS)
    event = await setup.market(start)
    await setup.services.events.rsvp(event.id, BOB, going=True, now=NOW)
    bot = FakeBot({DM: {BOT, BOB}, TEAM_ROOM: {BOT, ALICE, BOB}, ALICE_DM: {BOT, ALICE}})
    setup.clock.now = datetime(2026, 11, 20, 10, 0, 2, tzinfo=PARIS)  # 24 h before
    assert await setup.deliver(bot) == 1
    [day_before] = bot.sent(DM)
    assert day_before["body"].splitlines() == [
        "⏰ Rappel : « Tractage au marché » commence dans 24 h.",
        "📅 sam. 21 nov. de 10h00 à 12h00",
        "📍 Marché de la Croix-Rousse, 69004 Lyon",
    ]
    assert day_before["m.mentions"] == {"user_ids": [BOB]}
    setup.clock.now = datetime(2026, 11, 21, 9, 0, 1, tzinfo=PARIS)  # 1 h before: Bob, the room
    assert await setup.deliver(bot) == 2
    assert bot.sent(DM)[1]["body"].startswith(
        "⏰ Rappel : « Tractage au marché » commence dans 1 h"
    )
    [room] = bot.sent(TEAM_ROOM)
    assert room["body"].startswith("⏰ « Tractage au marché » commence dans 1 h.")
    assert "m.mentions" not in room
    setup.clock.now = datetime(2026, 11, 22, 10, 0, 1, tzinfo=PARIS)  # the morning after
    assert await setup.deliver(bot) == 1
    [report] = bot.sent(ALICE_DM)
    assert report["body"] == (
        "📝 « Tractage au marché » (sam. 21 nov. à 10h00) est passé : pensez à en poster le "
        "compte rendu (participants, photos, retours) dans le salon de l'équipe Les Insoumis du "
        "3e."
    )

    # Snoozing the team room's reminder: anyone in the room, for themselves, with the title.
    replied = {"sender": BOT, "content": room}
    setup.clock.now = datetime(2026, 11, 21, 9, 0, 30, tzinfo=PARIS)
    await setup.say("!plus-tard 30 min", sender=BOB, room=TEAM_ROOM, reply_to="$r",
                    replied=replied)  # fmt: skip
    [snoozed] = await setup.mine(BOB)
    assert (snoozed.text, snoozed.room_id) == ("Tractage au marché", TEAM_ROOM)


async def test_a_cancelled_event_is_not_reminded(setup: Setup) -> None:
    event = await setup.market(datetime(2026, 11, 21, 10, 0, tzinfo=PARIS))
    await setup.services.events.rsvp(event.id, BOB, going=True, now=NOW)
    # The cancellation is made while the rows are being claimed: they are dropped, not sent.
    await setup.services.events.events.db.execute(
        "UPDATE event SET status = 'cancelled' WHERE id = $1", event.id
    )
    bot = FakeBot({DM: {BOT, BOB}, TEAM_ROOM: {BOT, ALICE, BOB}})
    setup.clock.now = datetime(2026, 11, 21, 9, 30, tzinfo=PARIS)
    assert await setup.deliver(bot) == 3  # the 24 h and 1 h reminders, and the room's: dropped
    assert bot.messages == {}
    rows = await setup.services.events.events.db.fetch(
        "SELECT status FROM reminder WHERE event_id = $1 AND kind <> 'event_report'", event.id
    )
    assert {row["status"] for row in rows} == {"dropped"}
