"""The discovery commands on a real database (both engines), as the agenda bot runs them: the
replies a user would read, in a DM with the bot or in a team room, at a fixed moment (Thursday
19 November 2026, 14:30 in Paris)."""

from __future__ import annotations

import itertools
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

import pytest

from bots import agenda
from bots.commands import CommandContext, CommandRegistry, Reply, parse_command
from bots.discovery import location_search
from bots.discovery_services import DiscoveryServices
from bots.dispatch import run_command
from bots.services import BotServices
from bridge.db import create_database
from bridge.db.events import Event, Visibility
from bridge.db.teams import Team, TeamKind
from bridge.domain.events import EventPlace
from bridge.domain.teams import distance_km
from ralliement.geo.gazetteer import gazetteer
from tests.db.test_event_commands import NOW, PARIS

ALICE, CAROL, DAVE = (f"@{name}:localhost" for name in ("alice", "carol", "dave"))
WELCOME = "@ralliement_bienvenue:localhost"
DM, OTHER_DM = "!dm-with-agenda:localhost", "!other-dm:localhost"
CROIX_ROUSSE_ROOM, VILLEURBANNE_ROOM = "!croix-rousse:localhost", "!villeurbanne:localhost"
_emails = itertools.count(1)

# (title, postcode, day of November 2026, hour): all within 20 km of 69004 but Grenoble.
EVENTS = [
    ("Tractage Croix-Rousse", "69004", 21, 10),
    ("Collage Croix-Rousse", "69004", 20, 18),
    ("Porte-à-porte Villeurbanne", "69100", 22, 14),
    ("Marché de Caluire", "69300", 21, 9),
    ("Réunion publique Lyon 1er", "69001", 24, 19),
    ("Tractage Vénissieux", "69200", 23, 11),
    ("Vente de livres Lyon 3e", "69003", 25, 17),
    ("Meeting Grenoble", "38000", 28, 19),
]


@dataclass
class World:
    services: BotServices
    agenda: CommandRegistry
    croix_rousse: Team
    villeurbanne: Team
    events: dict[str, Event]

    async def say(
        self, text: str, *, sender: str = DAVE, room: str = DM, language: str = "fr"
    ) -> Reply:
        parsed = parse_command(text)
        assert parsed is not None
        command = self.agenda.find(parsed.name)
        assert command is not None, text
        context = CommandContext(sender, room, "$event", parsed.args, language)
        return await run_command(command, context, logging.getLogger("tests"))

    async def join_campaign(self, user_id: str, home: str | None = None) -> None:
        assert self.services.discovery is not None
        supporters = self.services.discovery.supporters
        email = f"soutien{next(_emails)}@example.org"
        await supporters.upsert(email, "Dave", None)
        await supporters.link(email, user_id, allow_unlisted=False)
        if home is not None:
            [place, *_] = gazetteer().resolve(home)
            await supporters.set_home(
                user_id, place.commune, place.postcode, place.latitude, place.longitude, "commune"
            )


def located(text: str, postcode: str) -> EventPlace:
    """A place at the commune of ``postcode``."""
    [place, *_] = gazetteer().by_postcode(postcode)
    return EventPlace(
        text, place.commune, place.postcode, place.latitude, place.longitude, "commune"
    )


def point(postcode: str) -> tuple[float, float]:
    [place, *_] = gazetteer().by_postcode(postcode)
    return place.latitude, place.longitude


def titles(reply: Reply) -> list[str]:
    """The titles of the numbered lines: "3. Tractage — …" → "Tractage"."""
    return [
        line.split(". ", 1)[1].split(" — ")[0]
        for line in reply.body.splitlines()
        if line[:1].isdigit()
    ]


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[World]:
    db = create_database(database_url)
    await db.start()
    services = BotServices.on_database(
        db,
        domain="localhost",
        zone=PARIS,
        clock=lambda: NOW,
        discovery=DiscoveryServices.on_database(db, welcome_bot=WELCOME),
    )
    teams = services.teams
    croix_rousse = await teams.create_team_at("Croix-Rousse", TeamKind.LOCAL, "69004", ALICE)
    villeurbanne = await teams.create_team_at("Villeurbanne", TeamKind.LOCAL, "69100", ALICE)
    grenoble = await teams.create_team_at("Grenoble", TeamKind.LOCAL, "38000", ALICE)
    await teams.repository.set_room(croix_rousse.id, CROIX_ROUSSE_ROOM)
    await teams.repository.set_room(villeurbanne.id, VILLEURBANNE_ROOM)
    await teams.join(croix_rousse.id, CAROL)
    created = {}
    for title, postcode, day, hour in EVENTS:
        team = {"69004": croix_rousse, "69100": villeurbanne, "38000": grenoble}.get(
            postcode, croix_rousse
        )
        created[title] = await services.events.create_event(
            team.id,
            ALICE,
            title,
            datetime(2026, 11, day, hour, tzinfo=PARIS),
            located(f"Place de la mairie, {postcode}", postcode),
            now=NOW,
        )
    created["Réunion d'équipe"] = await services.events.create_event(
        croix_rousse.id,
        ALICE,
        "Réunion d'équipe",
        datetime(2026, 11, 26, 19, tzinfo=PARIS),
        located("Local, 12 rue Dumenge, 69004 Lyon", "69004"),
        visibility=Visibility.MEMBERS,
        now=NOW,
    )
    try:
        yield World(services, agenda.build_registry(services), croix_rousse, villeurbanne, created)
    finally:
        await db.stop()


def expected_order(world: World, origin: str, *, radius: float = 20, members: bool) -> list[str]:
    here = point(origin)
    found = []
    for title, event in world.events.items():
        if event.visibility is Visibility.MEMBERS and not members:
            continue
        assert event.latitude is not None and event.longitude is not None
        distance = distance_km(*here, event.latitude, event.longitude)
        if distance <= radius:
            found.append((distance, event.start_at, event.id, title))
    return [title for *_, title in sorted(found)]


# --- !autour, !plus ------------------------------------------------------------------------------


async def test_events_near_a_postcode_nearest_first_five_a_page(world: World) -> None:
    order = expected_order(world, "69004", members=False)
    assert len(order) == 7 and order[:2] == ["Collage Croix-Rousse", "Tractage Croix-Rousse"]

    first = await world.say("!autour 69004")
    lines = first.body.splitlines()
    assert lines[0] == "📍 Événements à venir à moins de 20 km de Lyon 4e Arrondissement (69004) :"
    assert titles(first) == order[:5]
    collage = world.events["Collage Croix-Rousse"]
    assert lines[1] == (
        "1. Collage Croix-Rousse — ven. 20 nov. de 18h00 à 20h00 — 0,0 km — Croix-Rousse — "
        f"!jyvais {collage.id}"
    )
    assert lines[-2:] == ["Pour venir : !jyvais <identifiant>.", "Tapez !plus pour la suite."]
    assert first.html is not None and first.html.count("<li>") == 5

    second = await world.say("!plus")
    assert second.body.splitlines()[0].startswith("📍 Suite des événements à moins de 20 km")
    assert titles(second) == order[5:]
    assert second.body.splitlines()[1].startswith("6. ")
    assert "!plus" not in second.body.splitlines()[-1]
    assert (await world.say("!plus")).body.startswith("Il n'y a pas d'autres résultats.")
    # The search is this person's, in this room.
    assert (await world.say("!more", room=OTHER_DM)).body.startswith(
        "Je n'ai pas de recherche précédente de votre part dans ce salon"
    )
    assert (await world.say("!plus", sender=CAROL)).body.startswith("Je n'ai pas de recherche")


async def test_a_wider_radius_and_english(world: World) -> None:
    reply = await world.say("!near 69004 150 km", language="en")
    lines = reply.body.splitlines()
    assert lines[0] == "📍 Coming events within 150 km of Lyon 4e Arrondissement (69004):"
    assert titles(reply) == expected_order(world, "69004", radius=150, members=False)[:5]
    assert lines[-1] == "Type !more for the next ones."
    rest = await world.say("!more", language="en")
    assert titles(rest)[-1] == "Meeting Grenoble"
    assert " — 9" in rest.body  # about 95 km away, written "9x km"


async def test_members_only_events_are_shown_to_members_only(world: World) -> None:
    carol = await world.say("!autour 69004 5 km", sender=CAROL)
    assert "🔒 Réunion d'équipe" in titles(carol) + titles(await world.say("!plus", sender=CAROL))
    dave = [*titles(await world.say("!autour 69004 5 km")), *titles(await world.say("!plus"))]
    assert all("Réunion d'équipe" not in title for title in dave)
    # In another team's room, Carol's search leaves it out: that room is not its team's.
    elsewhere = await world.say("!autour 69004 5 km", sender=CAROL, room=VILLEURBANNE_ROOM)
    more = await world.say("!plus", sender=CAROL, room=VILLEURBANNE_ROOM)
    assert all("Réunion d'équipe" not in t for t in [*titles(elsewhere), *titles(more)])
    assert elsewhere.body.splitlines()[-2].startswith(
        "Pour venir : !jyvais <identifiant> (pour l'événement d'une autre équipe"
    )
    at_home = await world.say("!autour 69004 5 km", sender=CAROL, room=CROIX_ROUSSE_ROOM)
    home_more = await world.say("!plus", sender=CAROL, room=CROIX_ROUSSE_ROOM)
    assert "🔒 Réunion d'équipe" in [*titles(at_home), *titles(home_more)]


async def test_teams_near_a_place(world: World) -> None:
    reply = await world.say("!equipes-autour Villeurbanne")
    lines = reply.body.splitlines()
    assert lines[0] == "👥 Équipes à moins de 20 km de Villeurbanne (69100) :"
    assert lines[1].startswith("1. Villeurbanne — Villeurbanne — 0,0 km — 1 membre")
    assert lines[2].startswith("2. Croix-Rousse — Lyon 4e Arrondissement — ")
    assert lines[2].endswith(" km — 2 membres")
    assert lines[-1] == "Pour rejoindre une équipe : !equipes avec le bot d'accueil."
    assert (await world.say("!plus")).body.startswith("Il n'y a pas d'autres résultats.")


async def test_a_shared_location_is_searched_around(world: World) -> None:
    handler = location_search(world.services)
    assert handler is not None
    latitude, longitude = point("69004")
    context = CommandContext(DAVE, DM, "$location", "", "fr")
    reply = await handler(context, f"geo:{latitude},{longitude};u=20")
    assert reply is not None
    assert reply.body.splitlines()[0] == (
        "📍 Événements à venir à moins de 20 km de votre position :"
    )
    assert titles(reply) == titles(await world.say("!autour 69004"))
    assert await handler(context, "bonjour") is None
    empty = await handler(context, "geo:")
    assert empty is not None
    assert empty.body.splitlines()[0].startswith(
        "📍 Ce partage de position ne contient pas de coordonnées"
    )
    assert empty.body.splitlines()[-1].startswith("Écrivez : !autour <lieu> [rayon en km]")


# --- Bad input ------------------------------------------------------------------------------------


async def test_bad_places_and_radii_are_answered_with_the_usage(world: World) -> None:
    unknown = (await world.say("!autour Marseile")).body.splitlines()
    assert unknown[:2] == ["Je ne trouve pas de lieu « Marseile ».", "Vouliez-vous dire :"]
    assert "• Marseille (13 – Bouches-du-Rhône)" in unknown
    assert unknown[-1].startswith("Écrivez : !autour <lieu> [rayon en km], par exemple")

    ambiguous = (await world.say("!autour Saint-Denis")).body.splitlines()
    assert ambiguous[0].startswith("Plusieurs communes s'appellent « Saint-Denis »")
    assert "• Saint-Denis (93 – Seine-Saint-Denis)" in ambiguous
    assert "• Saint-Denis (974 – La Réunion)" in ambiguous
    assert (await world.say("!autour Saint-Denis (93)")).body.startswith("📍 Événements")

    for text in ("!autour Lyon 0", "!autour Lyon 600 km", "!equipes-autour Lyon 2,5 km"):
        radius = (await world.say(text)).body.splitlines()
        assert radius[0] == (
            "Le rayon doit être un nombre entier de kilomètres, de 1 à 500, par exemple « 10 km »."
        ), text
    english = (await world.say("!near nowhere-at-all", language="en")).body.splitlines()
    assert english[0] == "I cannot find any place “nowhere-at-all”."
    assert english[-1].startswith("Type: !near <place> [radius in km], for example")
    no_home = (await world.say("!autour")).body.splitlines()
    assert no_home[0].startswith("Où chercher ? Donnez un lieu, ou enregistrez d'abord le vôtre")


# --- !chez-moi, !alerte ----------------------------------------------------------------------


async def test_home_and_alerts(world: World) -> None:
    not_joined = (
        "Il faut d'abord rejoindre la campagne : écrivez « !rejoindre » en message privé au bot "
        f"d'accueil ({WELCOME})."
    )
    assert (await world.say("!chez-moi 69100")).body == not_joined
    assert (await world.say("!alerte 20")).body == not_joined
    assert (await world.say("!alerte")).body == not_joined

    await world.join_campaign(DAVE)
    assert (await world.say("!alerte 20")).body.startswith(
        "Pour vous prévenir des événements près de chez vous, il me faut votre lieu"
    )
    assert (
        (await world.say("!chez-moi"))
        .body.splitlines()[-1]
        .startswith("Écrivez : !chez-moi <lieu>")
    )
    home = await world.say("!chez-moi villeurbanne")
    assert home.body.startswith("🏠 C'est noté : chez vous, c'est Villeurbanne (69100).")
    around = await world.say("!autour 3 km")
    assert around.body.splitlines()[0] == (
        "📍 Événements à venir à moins de 3 km de chez vous (Villeurbanne (69100)) :"
    )
    assert titles(around)[0] == "Porte-à-porte Villeurbanne"

    assert (await world.say("!alerte")).body.startswith("Vous n'avez pas d'alerte.")
    assert (await world.say("!alerte 20 km")).body == (
        "🔔 C'est noté : je vous préviendrai en message privé des nouveaux événements à moins de "
        "20 km de chez vous (Villeurbanne (69100)), 5 par jour au plus. Pour arrêter : !alerte off."
    )
    assert (await world.say("!alert", language="en")).body.startswith(
        "🔔 Your alerts: new events within 20 km of your home (Villeurbanne (69100))"
    )
    refused = (await world.say("!alerte demain")).body.splitlines()
    assert refused == [
        "Je ne comprends pas « demain » après !alerte.",
        "Écrivez : !alerte <rayon en km>, par exemple « !alerte 20 » ; « !alerte off » pour "
        "arrêter ; « !alerte » seul pour voir votre réglage.",
    ]
    assert (await world.say("!alerte 900")).body.startswith("Le rayon doit être")
    stopped = await world.say("!alerte off")
    assert stopped.body == "🔕 C'est fait : vous ne recevrez plus d'alertes."
    assert (await world.say("!alerte off")).body == "Vous n'aviez pas d'alerte : rien à arrêter."


# --- !jyvais in a DM ------------------------------------------------------------------------------


async def test_going_from_a_dm(world: World) -> None:
    public = world.events["Porte-à-porte Villeurbanne"]
    going = await world.say(f"!jyvais {public.id}")
    assert going.body.startswith("👍 C'est noté : vous venez à « Porte-à-porte Villeurbanne »")
    members = world.events["Réunion d'équipe"]
    refused = await world.say(f"!jyvais {members.id}")
    assert refused.body == f"L'événement {members.id} est réservé aux membres de l'équipe."
    assert (await world.say(f"!jyvais {members.id}", sender=CAROL)).body.startswith("👍")
    # In a team room, another team's event is still answered in its own room.
    elsewhere = await world.say(f"!jyvais {public.id}", room=CROIX_ROUSSE_ROOM)
    assert elsewhere.body.startswith(f"L'événement {public.id} est celui d'une autre équipe")


async def test_help_lists_the_discovery_commands(world: World) -> None:
    lines = (await world.say("!aide")).body.splitlines()
    for start in (
        "• !autour / !pres-de-moi / !near [<lieu>] [<rayon> km] — les événements à venir",
        "• !plus / !suite / !more / !next — la suite de votre dernière recherche",
        "• !equipes-autour / !teams-near <lieu> [<rayon> km] — les équipes près d'un lieu",
        "• !chez-moi / !home <lieu> — enregistre votre lieu",
        "• !alerte / !alertes / !alert / !alerts [<rayon> km | off] — vous prévient",
    ):
        assert any(line.startswith(start) for line in lines), start
