"""The event commands on a real database (both engines): the replies a user would read.

The handlers run as the agenda bot runs them (:func:`bots.dispatch.run_command`), in a team room
whose room the appservice is played to have created, at a fixed moment: Thursday 19 November 2026,
14:30 in Paris.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bots import agenda
from bots.commands import CommandContext, CommandRegistry, Reply, parse_command
from bots.dispatch import run_command
from bots.services import BotServices
from bridge.db import create_database
from bridge.db.events import Event, EventKind, EventStatus, Visibility
from bridge.db.teams import Team, TeamKind
from bridge.domain.roles import Role

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 19, 14, 30, tzinfo=PARIS)
ALICE, BOB, CAROL, DAVE = (f"@{name}:localhost" for name in ("alice", "bob", "carol", "dave"))
NAMES = {ALICE: "Alice", BOB: "Bob Martin", CAROL: "Carole", DAVE: "dave@example.org"}
ROOM, OTHER_ROOM = "!team:localhost", "!other:localhost"
CALENDAR = "https://agenda.example.org"
MARKET = "Marché de la Croix-Rousse, 69004 Lyon"
CREATE = f"!action Tractage au marché | samedi 10h-12h | {MARKET}"
ACTION_USAGE = "Écrivez : !action <titre> | <date et heure> | <lieu> [| <description>], par exemple"


@dataclass
class Room:
    services: BotServices
    agenda: CommandRegistry
    team: Team

    async def say(
        self,
        text: str,
        *,
        sender: str = ALICE,
        room: str = ROOM,
        language: str = "fr",
        names: Mapping[str, str] = NAMES,
    ) -> Reply:
        parsed = parse_command(text)
        assert parsed is not None
        command = self.agenda.find(parsed.name)
        assert command is not None, text
        context = CommandContext(sender, room, "$event", parsed.args, language, names=names)
        return await run_command(command, context, logging.getLogger("tests"))

    async def create(self, text: str = CREATE, **kwargs: str) -> Event:
        reply = await self.say(text, **kwargs)
        found = re.search(r"(?:identifiant|id) ([a-z0-9]{6})\.", reply.body)
        assert found is not None, reply.body
        return await self.services.events.get_event(found[1])


@pytest.fixture
async def room(database_url: str) -> AsyncIterator[Room]:
    """A team led by Alice (referent) with Bob (manager), Carol and Dave (members), in ROOM."""
    db = create_database(database_url)
    await db.start()
    services = BotServices.on_database(
        db, domain="localhost", zone=PARIS, calendar_base_url=CALENDAR, clock=lambda: NOW
    )
    teams = services.teams
    team = await teams.create_team_at("Les Insoumis du 3e", TeamKind.LOCAL, "69003", ALICE)
    await teams.repository.set_room(team.id, ROOM)
    for member in (BOB, CAROL, DAVE):
        await teams.join(team.id, member)
    await teams.change_role(team.id, ALICE, BOB, Role.MANAGER)
    try:
        yield Room(services, agenda.build_registry(services), await teams.get_team(team.id))
    finally:
        await db.stop()


# --- !action -----------------------------------------------------------------------------------


async def test_an_organiser_creates_an_action(room: Room) -> None:
    reply = await room.say(CREATE)
    [event] = await room.services.events.upcoming(room.team.id, now=NOW)
    assert reply.body.splitlines() == [
        f"✅ Action « Tractage au marché » créée — identifiant {event.id}.",
        "🗓 sam. 21 nov. de 10h00 à 12h00",
        f"📍 {MARKET}",
        f"Pour venir : !jyvais {event.id}. Pour changer un détail : !modifier {event.id} <champ> "
        "<valeur>.",
    ]
    assert reply.html and "<b>✅ Action « Tractage au marché » créée" in reply.html
    assert (event.title, event.kind, event.organizer, event.timezone) == (
        "Tractage au marché",
        EventKind.ACTION,
        ALICE,
        "Europe/Paris",
    )
    assert event.start_at == 1000 * int(
        datetime(2026, 11, 21, 9, tzinfo=ZoneInfo("UTC")).timestamp()
    )
    assert (event.commune, event.postcode, event.precision) == (
        "Lyon 4e Arrondissement",
        "69004",
        "commune",
    )


async def test_a_manager_creates_a_members_only_meeting_with_seats_in_english(room: Room) -> None:
    reply = await room.say(
        "!meeting Team meeting | thursday 7pm-9pm | Office, 12 rue Dumenge | Bring the leaflets "
        "| seats: 12 | members only",
        sender=BOB,
        language="en",
    )
    [event] = await room.services.events.upcoming(room.team.id, now=NOW)
    assert reply.body.splitlines() == [
        f"✅ Meeting “Team meeting” created — id {event.id}.",
        "🗓 Thu 19 Nov, 19:00–21:00",  # said on Thursday at 14:30: tonight,
        "📍 Office, 12 rue Dumenge",
        "👥 12 seats",
        "🔒 for the team's members only",
        "📝 Bring the leaflets",
        f"To come: !going {event.id}. To change a detail: !edit {event.id} <field> <value>.",
    ]
    assert (event.kind, event.visibility, event.capacity, event.description) == (
        EventKind.MEETING,
        Visibility.MEMBERS,
        12,
        "Bring the leaflets",
    )
    # No postcode nor commune in the text: the team's commune locates it.
    assert (event.commune, event.precision) == ("Lyon 3e Arrondissement", "team")


async def test_an_online_event_without_a_place(room: Room) -> None:
    event = await room.create("!en-ligne Formation porte-à-porte | mardi 20h-21h")
    assert (event.kind, event.place, event.latitude) == (EventKind.ONLINE, "En ligne", None)


async def test_a_plain_member_cannot_create_an_event(room: Room) -> None:
    for text in (CREATE, "!action n'importe quoi"):
        reply = await room.say(text, sender=CAROL)
        assert reply.body == (
            "Seuls les gestionnaires et les référents de l'équipe peuvent organiser ses "
            "événements. Demandez à l'un d'eux, ou tapez !membres pour les voir."
        )
    outsider = await room.say(CREATE, sender="@eve:localhost")
    assert outsider.body.startswith("Seuls les gestionnaires et les référents")
    assert await room.services.events.upcoming(room.team.id, now=NOW) == []


@pytest.mark.parametrize(
    ("text", "first_line"),
    [
        (
            "!action Tractage au marché",
            "Il me faut au moins un titre, une date avec l'heure et un lieu, séparés par « | ».",
        ),
        (
            f"!action Tractage | samedi | {MARKET}",
            "« samedi » donne le jour mais pas l'heure : à quelle heure est-ce ? Par exemple "
            "« samedi à 10h » ou « samedi 10h-12h ».",
        ),
        (
            f"!action Tractage | samdi 10h | {MARKET}",
            "Je ne comprends pas « samdi » dans une date. Par exemple : demain 18h30, samedi 10h, "
            "le 12/12 à 9h, dans 2 heures, samedi 10h-12h, tous les mardis à 19h.",
        ),
        (
            f"!action Tractage | aujourd'hui 9h | {MARKET}",
            "Ce moment est déjà passé : un événement commence dans le futur.",
        ),
        (
            f"!action Tractage | samedi 10h pendant 8 jours | {MARKET}",
            "Un événement dure au plus 7 jours.",
        ),
        (
            f"!action Tr | samedi 10h | {MARKET}",
            "Le titre d'un événement doit faire entre 3 et 120 caractères.",
        ),
        (
            f"!action Tractage | samedi 10h | {MARKET} | places: 0",
            "Le nombre de places va de 1 à 100000 (ou « illimité »).",
        ),
        (
            f"!action Tractage | samedi 10h | {MARKET} | places: plein",
            "« places: plein » n'est pas un nombre de places : écrivez un nombre de 1 à 100000, "
            "ou « illimité ». Par exemple « places: 20 ».",
        ),
    ],
)
async def test_malformed_actions_say_what_is_wrong_and_how_to_write_it(
    room: Room, text: str, first_line: str
) -> None:
    reply = await room.say(text)
    lines = reply.body.splitlines()
    assert lines[0] == first_line
    assert lines[-1].startswith(ACTION_USAGE)
    assert await room.services.events.upcoming(room.team.id, now=NOW) == []


async def test_event_commands_outside_a_team_room(room: Room) -> None:
    # (!jyvais works outside a team room too: see tests/db/test_discovery_commands.py)
    for text in (CREATE, "!agenda", "!modifier abcdef titre X"):
        reply = await room.say(text, room=OTHER_ROOM)
        assert reply.body == (
            "Ce salon n'est le salon d'aucune équipe. Tapez cette commande dans le salon de "
            "votre équipe."
        )


# --- !jyvais, !jnypluspas ----------------------------------------------------------------------


async def test_the_last_seats_with_two_people(room: Room) -> None:
    event = await room.create(f"!action Porte-à-porte | samedi 14h | {MARKET} | places: 3")
    first = await room.say(f"!jyvais {event.id}", sender=CAROL)
    assert first.body == (
        "👍 C'est noté : vous venez à « Porte-à-porte » (sam. 21 nov. de 14h00 à 16h00). "
        "Il reste 2 places."
    )
    too_many = await room.say(f"!jyvais {event.id} +2", sender=DAVE)
    assert too_many.body == (
        f"Pas assez de places : l'événement {event.id} est complet ou presque (il en reste 2 sur "
        "3)."
    )
    last = await room.say(f"!j-y-vais {event.id.upper()} +1", sender=DAVE)
    assert last.body == (
        "👍 C'est noté : vous venez à « Porte-à-porte » (sam. 21 nov. de 14h00 à 16h00) avec "
        "une personne. Il ne reste plus de place."
    )
    again = await room.say(f"!going {event.id}", sender=CAROL, language="en")
    assert again.body == (
        "Already noted: you are coming to “Porte-à-porte” (Sat 21 Nov, 14:00–16:00). No seats left."
    )
    full = await room.say(f"!jyvais {event.id}", sender=BOB)
    assert full.body == (
        f"Pas assez de places : l'événement {event.id} est complet ou presque (il en reste 0 sur "
        "3)."
    )
    withdrawn = await room.say(f"!jnypluspas {event.id}", sender=CAROL)
    assert withdrawn.body == "C'est noté : vous ne venez pas à « Porte-à-porte »."
    now_in = await room.say(f"!jyvais {event.id}", sender=BOB)
    assert now_in.body.endswith("Il ne reste plus de place.")


async def test_rsvp_refusals(room: Room) -> None:
    event = await room.create()
    missing = await room.say("!jyvais", sender=CAROL)
    assert missing.body.splitlines() == [
        "Il manque l'identifiant de l'événement (six lettres et chiffres, comme k3f9q2) : il est "
        "dans la confirmation de création et dans !agenda.",
        "Écrivez : !jyvais <id>, par exemple « !jyvais k3f9q2 », ou « !jyvais k3f9q2 +2 » si "
        "deux personnes viennent avec vous. Les identifiants sont dans !agenda.",
    ]
    unknown = await room.say("!jyvais zzzzzz", sender=CAROL)
    assert unknown.body == (
        "Je ne trouve pas d'événement « zzzzzz ». Tapez !agenda pour voir les identifiants."
    )
    guests = await room.say(f"!jyvais {event.id} beaucoup", sender=CAROL)
    assert guests.body.startswith("« beaucoup » : après l'identifiant, écrivez seulement")
    too_many = await room.say(f"!jyvais {event.id} +11", sender=CAROL)
    assert too_many.body.startswith("Vous pouvez venir avec 10 personnes au plus.")


async def test_an_event_of_another_team_is_answered_in_its_room(room: Room) -> None:
    teams = room.services.teams
    other = await teams.create_team_at("Insoumis de Vaise", TeamKind.LOCAL, "69009", CAROL)
    await teams.repository.set_room(other.id, OTHER_ROOM)
    event = await room.create("!action Tractage à Vaise | samedi 10h | Place de Paris, 69009 Lyon",
                              sender=CAROL, room=OTHER_ROOM)  # fmt: skip
    reply = await room.say(f"!jyvais {event.id}", sender=BOB)
    assert reply.body == (
        f"L'événement {event.id} est celui d'une autre équipe : écrivez dans le salon de cette "
        "équipe."
    )


# --- !modifier ---------------------------------------------------------------------------------


async def test_an_organiser_edits_an_event(room: Room) -> None:
    event = await room.create()
    moved = await room.say(f"!modifier {event.id} date dimanche 14h", sender=BOB)
    assert moved.body.splitlines()[:3] == [
        f"✏️ « Tractage au marché » ({event.id}) est modifié :",
        "🗓 dim. 22 nov. de 14h00 à 16h00",  # the duration is kept
        f"📍 {MARKET}",
    ]
    ended = await room.say(f"!modifier {event.id} fin 17h30")
    assert ended.body.splitlines()[1] == "🗓 dim. 22 nov. de 14h00 à 17h30"
    lasting = await room.say(f"!modifier {event.id} durée 1h")
    assert lasting.body.splitlines()[1] == "🗓 dim. 22 nov. de 14h00 à 15h00"
    day_only = await room.say(f"!modifier {event.id} date samedi")
    assert day_only.body.splitlines()[1] == "🗓 sam. 21 nov. de 14h00 à 15h00"
    seats = await room.say(f"!modifier {event.id} places 30")
    assert "👥 30 places" in seats.body.splitlines()
    unlimited = await room.say(f"!modifier {event.id} capacité illimité")
    assert "👥" not in unlimited.body
    place = await room.say(f"!edit {event.id} place Place Bellecour, Lyon", language="en")
    assert place.body.splitlines()[2] == "📍 Place Bellecour, Lyon"
    private = await room.say(f"!modifier {event.id} visibilité membres")
    assert "🔒 réservé aux membres de l'équipe" in private.body.splitlines()
    renamed = await room.say(f"!modifier {event.id} titre Grand tractage")
    assert renamed.body.splitlines()[0] == f"✏️ « Grand tractage » ({event.id}) est modifié :"
    stored = await room.services.events.get_event(event.id)
    assert (stored.title, stored.place, stored.commune, stored.capacity, stored.visibility) == (
        "Grand tractage",
        "Place Bellecour, Lyon",
        "Lyon",
        None,
        Visibility.MEMBERS,
    )


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        ("", "Il me faut l'identifiant de l'événement, le champ à changer et sa nouvelle valeur."),
        ("{id} couleur rouge", "« couleur » n'est pas un champ que je sais changer."),
        ("{id} lieu", "Il manque la nouvelle valeur de « lieu »."),
        ("{id} fin 9h", None),  # the first 9:00 after the start: the next morning
        ("{id} date hier 10h", "Ce moment est déjà passé : un événement commence dans le futur."),
        ("{id} date samdi", "Je ne comprends pas « samdi » dans une date. Par exemple : "
         "demain 18h30, samedi 10h, le 12/12 à 9h, dans 2 heures, samedi 10h-12h, tous les "
         "mardis à 19h."),
        ("{id} durée longtemps", "Je ne comprends pas la durée « longtemps ». Par exemple : 1h, "
         "1h30, 30 min, 2 heures, 3 jours, 1 semaine."),
        ("{id} durée 8 jours", "Un événement dure au plus 7 jours."),
        ("{id} places beaucoup", "« beaucoup » n'est pas un nombre de places : écrivez un nombre "
         "de 1 à 100000, ou « illimité ». Par exemple « places: 20 »."),
        ("{id} visibilité secrète", "« secrète » : un événement est « public » (par défaut) ou "
         "réservé aux « membres » de l'équipe."),
        ("{id} type fête", "« fête » n'est pas un type d'événement : action, réunion ou en "
         "ligne."),
    ],
)  # fmt: skip
async def test_malformed_edits_say_what_is_wrong_and_how_to_write_it(
    room: Room, args: str, first_line: str | None
) -> None:
    event = await room.create()
    reply = await room.say(f"!modifier {args.format(id=event.id)}")
    if first_line is None:
        assert reply.body.startswith("✏️"), reply.body
        return
    lines = reply.body.splitlines()
    assert lines[0] == first_line
    assert lines[-1].startswith("Écrivez : !modifier <id> <champ> <valeur>, par exemple")
    assert await room.services.events.get_event(event.id) == event


async def test_a_plain_member_cannot_edit(room: Room) -> None:
    event = await room.create()
    reply = await room.say(f"!modifier {event.id} titre Autre chose", sender=CAROL)
    assert reply.body.startswith("Seuls les gestionnaires et les référents")
    assert (await room.services.events.get_event(event.id)).title == "Tractage au marché"


# --- !annuler ----------------------------------------------------------------------------------


async def test_cancelling_says_how_many_were_going(room: Room) -> None:
    event = await room.create()
    await room.say(f"!jyvais {event.id}", sender=CAROL)
    await room.say(f"!jyvais {event.id} +1", sender=DAVE)
    refused = await room.say(f"!annuler {event.id}", sender=CAROL)
    assert refused.body.startswith("Seuls les gestionnaires et les référents")
    cancelled = await room.say(f"!annuler {event.id}", sender=BOB)
    assert cancelled.body.splitlines() == [
        f"❌ « Tractage au marché » ({event.id}) est annulé.",
        "2 personnes avaient dit venir : je les préviens dans ce salon.",
    ]
    assert (await room.services.events.get_event(event.id)).status is EventStatus.CANCELLED
    again = await room.say(f"!cancel {event.id}", language="en")
    assert again.body == f"The event {event.id} is cancelled."
    late = await room.say(f"!jyvais {event.id}", sender=BOB)
    assert late.body == f"L'événement {event.id} est annulé."
    usage = await room.say("!annuler")
    assert usage.body.splitlines()[-1] == (
        "Écrivez : !annuler <id>, par exemple « !annuler k3f9q2 ». Les identifiants sont dans "
        "!agenda."
    )


# --- !agenda, !participants --------------------------------------------------------------------


async def test_the_agenda_lists_coming_events_and_the_calendar_links(room: Room) -> None:
    empty = await room.say("!agenda", sender=CAROL)
    assert empty.body.splitlines()[:2] == [
        "Agenda de l'équipe « Les Insoumis du 3e » :",
        "Aucun événement à venir. Les gestionnaires et les référents en créent avec !action, "
        "!reunion ou !en-ligne.",
    ]
    market = await room.create()
    meeting = await room.create(
        "!reunion Réunion d'équipe | mardi 19h | Local, 12 rue Dumenge, 69004 Lyon | places: 10 "
        "| membres"
    )
    flyers = await room.create("!action Collage | demain 21h | Croix-Rousse")
    await room.say(f"!jyvais {meeting.id} +1", sender=CAROL)
    await room.say(f"!annuler {flyers.id}")
    reply = await room.say("!agenda", sender=DAVE)
    token = await room.services.teams.repository.calendar_token(room.team.id)
    feed = f"{CALENDAR}/_ralliement/calendar/teams/{room.team.id}"
    assert reply.body.splitlines() == [
        "Agenda de l'équipe « Les Insoumis du 3e » :",
        f"• {flyers.id} — ❌ ANNULÉ — Collage — ven. 20 nov. à 21h00",
        f"• {market.id} — Tractage au marché — sam. 21 nov. à 10h00 — {MARKET} — personne "
        "d'inscrit",
        f"• {meeting.id} — 🔒 Réunion d'équipe (réunion) — mar. 24 nov. à 19h00 — Local, 12 rue "
        "Dumenge, 69004 Lyon — 2/10 places prises",
        f"📅 L'agenda dans votre calendrier (abonnement) : {feed}.ics",
        "🔒 Avec les événements réservés aux membres (lien à ne pas partager) : "
        f"{feed}/{token}.ics",
    ]
    assert reply.html and "<del><b>Collage</b> — ven. 20 nov. à 21h00</del>" in reply.html
    assert f'<a href="{feed}.ics">' in reply.html
    english = await room.say("!agenda", language="en")
    assert english.body.splitlines()[1:3] == [
        f"• {flyers.id} — ❌ CANCELLED — Collage — Fri 20 Nov, 21:00",
        f"• {market.id} — Tractage au marché — Sat 21 Nov, 10:00 — {MARKET} — nobody coming yet",
    ]


async def test_attendees_are_for_organisers(room: Room) -> None:
    event = await room.create(f"!action Tractage | samedi 10h | {MARKET} | places: 20")
    nobody = await room.say(f"!participants {event.id}", sender=BOB)
    assert nobody.body.splitlines() == [
        f"Participants à « Tractage » ({event.id}) :",
        "Personne n'a encore dit venir.",
        "Inscrits : 0 · places prises : 0/20",
    ]
    await room.say(f"!jyvais {event.id} +2", sender=CAROL)
    await room.say(f"!jyvais {event.id}", sender=DAVE)
    refused = await room.say(f"!participants {event.id}", sender=CAROL)
    assert refused.body == (
        "Seuls les gestionnaires et les référents de l'équipe peuvent organiser ses "
        "événements. Demandez à l'un d'eux, ou tapez !membres pour les voir."
    )
    listed = await room.say(f"!participants {event.id}")
    assert listed.body.splitlines() == [
        f"Participants à « Tractage » ({event.id}) :",
        "• Carole (@carol:localhost) +2",
        "• @dave:localhost",  # a display name that is an email address is not shown
        "Inscrits : 2 · places prises : 4/20",
    ]
    english = await room.say(f"!attendees {event.id}", language="en")
    assert english.body.splitlines()[-1] == "Going: 2 · seats taken: 4/20"


async def test_help_lists_the_event_commands(room: Room) -> None:
    reply = await room.say("!aide")
    for start in (
        "• !action / !evenement / !event — crée une action de l'équipe",
        "• !modifier / !edit — change un événement",
        "• !jyvais / !j-y-vais / !jy-vais / !going <id> [+N] — vous venez",
        "• !agenda / !calendrier / !calendar — les événements à venir",
    ):
        assert any(line.startswith(start) for line in reply.body.splitlines()), start
