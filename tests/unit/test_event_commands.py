"""Reading the event commands' arguments, placing events, and the wording a user reads."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bots import event_arguments, event_fields, event_options
from bots.arguments import ArgumentError
from bots.event_arguments import ActionRequest, RsvpRequest, parse_action, parse_rsvp, read_start
from bots.event_commands import INPUT_ERRORS
from bots.event_fields import EditRequest, Field, end_after, parse_edit, start_on_day
from bots.event_options import read_capacity, read_option, read_visibility
from bots.event_places import event_place
from bots.i18n import MESSAGES, format_moment, translate
from bots.refusals import refusal
from bridge.db.events import EventKind, Visibility
from bridge.db.teams import Team, TeamKind
from bridge.domain import events
from bridge.domain.errors import DomainError
from ralliement.when import WhenError

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 19, 14, 30, tzinfo=PARIS)  # a Thursday
SATURDAY_10H = datetime(2026, 11, 21, 10, 0, tzinfo=PARIS)
MARKET = "Marché de la Croix-Rousse, 69004 Lyon"
TEAM = Team(
    id="insoumis-3e",
    name="Les Insoumis du 3e",
    kind=TeamKind.LOCAL,
    description="",
    commune="Lyon 3e Arrondissement",
    postcode="69003",
    departement="69",
    latitude=45.76,
    longitude=4.85,
    room_id="!team:localhost",
    created_at=0,
    archived_at=None,
)


def at(day: int, hour: int, minute: int = 0, month: int = 11, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def action(args: str, language: str = "fr", **kwargs: bool) -> ActionRequest:
    return parse_action(args, NOW, PARIS, language, **kwargs)


# --- !action: the date table through the glue -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("samedi 10h", at(21, 10), None),
        ("Samedi 10H", at(21, 10), None),
        ("demain 18h30", at(20, 18, 30), None),
        ("12/12 à 9h", at(12, 9, month=12), None),
        ("le 12/12 à 9h", at(12, 9, month=12), None),
        ("2026-12-12 09:00", at(12, 9, month=12), None),
        ("in 2 days at 6pm", at(21, 18), None),
        ("samedi 10h-12h", at(21, 10), at(21, 12)),
        ("de 10h à 12h samedi", at(21, 10), at(21, 12)),
        ("saturday 10am for 2 hours", at(21, 10), at(21, 12)),
        ("samedi 22h-2h", at(21, 22), at(22, 2)),
        # Today's hour already gone is read as such: the domain refuses the past.
        ("aujourd'hui 9h", at(19, 9), None),
    ],
)
def test_dates_of_events(text: str, start: datetime, end: datetime | None) -> None:
    assert read_start(text, NOW, PARIS, "fr") == (start, end)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("samedi", "event.when.all_day"),
        ("le 12/12", "event.when.all_day"),
        ("tous les mardis à 19h", "event.when.recurring"),
        ("samdi 10h", "when.unknown"),
        ("", "when.empty"),
        ("31/02 à 10h", "when.invalid_date"),
        ("samedi 25h", "when.invalid_time"),
    ],
)
def test_dates_that_do_not_make_an_event(text: str, key: str) -> None:
    with pytest.raises((ArgumentError, WhenError)) as error:
        read_start(text, NOW, PARIS, "fr")
    assert isinstance(error.value, DomainError) and error.value.key == key


# --- !action: fields and options ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            f"Tractage au marché | samedi 10h | {MARKET}",
            ActionRequest("Tractage au marché", at(21, 10), None, MARKET),
        ),
        (
            "  Tractage   au marché |samedi 10h-12h|  Lyon | Devant la fontaine ",
            ActionRequest(
                "Tractage au marché", at(21, 10), at(21, 12), "Lyon", "Devant la fontaine"
            ),
        ),
        (
            "Tractage | samedi 10h | Lyon | Devant la fontaine | places: 20 | membres",
            ActionRequest(
                "Tractage", at(21, 10), None, "Lyon", "Devant la fontaine", 20, Visibility.MEMBERS
            ),
        ),
        # Options in any order, several in one piece, accents and case ignored.
        (
            "Tractage | demain 18h30 | Lyon | Capacité 20, Réservé aux membres | On distribue",
            ActionRequest(
                "Tractage", at(20, 18, 30), None, "Lyon", "On distribue", 20, Visibility.MEMBERS
            ),
        ),
        (
            "Canvassing | in 2 days at 6pm | Lyon | 12 seats | members only",
            ActionRequest("Canvassing", at(21, 18), None, "Lyon", "", 12, Visibility.MEMBERS),
        ),
        ("T | samedi 10h | L | jauge 5", ActionRequest("T", at(21, 10), None, "L", "", 5)),
        ("T | samedi 10h | L | max: 5", ActionRequest("T", at(21, 10), None, "L", "", 5)),
        ("T | samedi 10h | L | public", ActionRequest("T", at(21, 10), None, "L")),
        ("T | samedi 10h | L | places: illimité", ActionRequest("T", at(21, 10), None, "L")),
        # What only looks like an option is the description.
        (
            "T | samedi 10h | L | Places limitées | Venez nombreux",
            ActionRequest("T", at(21, 10), None, "L", "Places limitées | Venez nombreux"),
        ),
        # A trailing separator, date and place swapped.
        ("T | samedi 10h | L |", ActionRequest("T", at(21, 10), None, "L")),
        ("T | Lyon | samedi 10h", ActionRequest("T", at(21, 10), None, "Lyon")),
        # Without "|", the date splits the text.
        (
            "Tractage au marché samedi 10h Marché de la Croix-Rousse",
            ActionRequest("Tractage au marché", at(21, 10), None, "Marché de la Croix-Rousse"),
        ),
        (
            "Tractage, demain à 18h, Place Bellecour, Lyon",
            ActionRequest("Tractage", at(20, 18), None, "Place Bellecour, Lyon"),
        ),
    ],
)
def test_action_fields(args: str, expected: ActionRequest) -> None:
    assert action(args) == expected


def test_an_online_event_may_leave_out_its_place() -> None:
    request = action("Formation | mardi 20h-21h", place_optional=True)
    assert (request.place, request.start, request.end) == ("", at(24, 20), at(24, 21))
    link = action("Formation | mardi 20h | https://visio.example.org/f", place_optional=True)
    assert link.place == "https://visio.example.org/f"


@pytest.mark.parametrize(
    ("args", "key"),
    [
        ("", "event.action.fields"),
        ("Tractage", "event.action.fields"),
        ("Tractage | samedi 10h", "event.action.fields"),
        ("|||", "event.action.fields"),
        ("Tractage samedi", "event.action.fields"),  # no "|", and no date with a time found
        (" | samedi 10h | Lyon", "event.action.no_title"),
        ("Tractage | samedi 10h |  | description", "event.action.no_place"),
        ("Tractage | samedi | Lyon", "event.when.all_day"),
        ("Tractage | tous les mardis à 19h | Lyon", "event.when.recurring"),
        ("Tractage | samdi 10h | Lyon", "when.unknown"),
        ("Tractage |  | Lyon", "when.empty"),
        ("Tractage | samedi 10h | Lyon | places: beaucoup", "event.option.capacity"),
        ("Tractage | samedi 10h | Lyon | places: 12345678901", "event.option.capacity"),
        ("Tractage | samedi 10h | Lyon | visibilité: secrète", "event.option.visibility"),
    ],
)
def test_malformed_actions(args: str, key: str) -> None:
    with pytest.raises((ArgumentError, WhenError)) as error:
        action(args)
    assert isinstance(error.value, DomainError) and error.value.key == key
    assert key in INPUT_ERRORS  # answered with the usage and an example


def test_a_bad_option_is_quoted_as_typed() -> None:
    with pytest.raises(ArgumentError) as error:
        action("Tractage | samedi 10h | Lyon | Places : Beaucoup")
    assert error.value.params["text"] == "Places : Beaucoup"


@given(st.text())
def test_action_parsing_answers_anything(args: str) -> None:
    try:
        request = action(args)
    except (ArgumentError, WhenError):
        return
    assert request.title and request.place and request.start.tzinfo is not None


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="|"), max_size=30), max_size=6))
def test_action_parsing_answers_any_fields(fields: list[str]) -> None:
    with contextlib.suppress(ArgumentError, WhenError):
        action(" | ".join(fields))


@pytest.mark.parametrize(
    ("piece", "capacity", "visibility"),
    [
        ("places: 20", 20, None),
        ("PLACES 20", 20, None),
        ("20 places", 20, None),
        ("capacity=30", 30, None),
        ("nombre de places : 8", 8, None),
        ("membres", None, Visibility.MEMBERS),
        ("Réservé aux membres", None, Visibility.MEMBERS),
        ("privé", None, Visibility.MEMBERS),
        ("visibilité: public", None, Visibility.PUBLIC),
    ],
)
def test_options(piece: str, capacity: int | None, visibility: Visibility | None) -> None:
    option = read_option(piece)
    assert option is not None
    assert (option.capacity.seats if option.capacity else None, option.visibility) == (
        capacity,
        visibility,
    )


@pytest.mark.parametrize("piece", ["Venez nombreux", "places", "Place Bellecour", "membres du 3e"])
def test_not_options(piece: str) -> None:
    assert read_option(piece) is None


# --- !modifier ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("k3f9q2 titre Nouveau  titre", EditRequest("k3f9q2", Field.TITLE, "Nouveau titre",
                                                     "titre")),
        ("K3F9Q2 title: New", EditRequest("k3f9q2", Field.TITLE, "New", "title")),
        ("#k3f9q2 date samedi 14h", EditRequest("k3f9q2", Field.START, "samedi 14h", "date")),
        ("k3f9q2 quand demain 9h", EditRequest("k3f9q2", Field.START, "demain 9h", "quand")),
        ("k3f9q2 fin 13h", EditRequest("k3f9q2", Field.END, "13h", "fin")),
        ("k3f9q2 Durée: 1h30", EditRequest("k3f9q2", Field.DURATION, "1h30", "Durée")),
        ("k3f9q2 lieu Place Bellecour, Lyon",
         EditRequest("k3f9q2", Field.PLACE, "Place Bellecour, Lyon", "lieu")),
        ("k3f9q2 description Ligne 1\nLigne 2",
         EditRequest("k3f9q2", Field.DESCRIPTION, "Ligne 1\nLigne 2", "description")),
        ("k3f9q2 places 30", EditRequest("k3f9q2", Field.CAPACITY, "30", "places")),
        ("k3f9q2 capacité illimité", EditRequest("k3f9q2", Field.CAPACITY, "illimité", "capacité")),
        ("k3f9q2 visibilité=membres",
         EditRequest("k3f9q2", Field.VISIBILITY, "membres", "visibilité")),
        ("k3f9q2 type réunion", EditRequest("k3f9q2", Field.KIND, "réunion", "type")),
    ],
)  # fmt: skip
def test_edit_requests(args: str, expected: EditRequest) -> None:
    assert parse_edit(args) == expected


@pytest.mark.parametrize(
    ("args", "key"),
    [
        ("", "event.edit.missing"),
        ("k3f9q2", "event.edit.missing"),
        ("titre Nouveau titre", "event.id.missing"),
        ("k3f9q2 couleur rouge", "event.edit.unknown_field"),
        ("k3f9q2 lieu", "event.edit.missing_value"),
        ("k3f9q2 places:", "event.edit.missing_value"),
    ],
)
def test_malformed_edits(args: str, key: str) -> None:
    with pytest.raises(ArgumentError) as error:
        parse_edit(args)
    assert error.value.key == key


@given(st.text())
def test_edit_parsing_answers_anything(args: str) -> None:
    with contextlib.suppress(ArgumentError):
        parse_edit(args)


def test_new_dates_of_an_edit() -> None:
    # A day alone keeps the event's time of day; a time alone for the end is read from the start.
    assert start_on_day("mardi", SATURDAY_10H, NOW, PARIS, "fr") == (at(24, 10), None)
    assert start_on_day("dimanche 14h-16h", SATURDAY_10H, NOW, PARIS, "fr") == (
        at(22, 14),
        at(22, 16),
    )
    assert end_after("13h", SATURDAY_10H, PARIS, "fr") == at(21, 13)
    assert end_after("9h", SATURDAY_10H, PARIS, "fr") == at(22, 9)
    assert event_fields.end_from_duration("1h30", SATURDAY_10H, "fr") == at(21, 11, 30)
    with pytest.raises(ArgumentError) as error:
        end_after("dimanche", SATURDAY_10H, PARIS, "fr")
    assert error.value.key == "event.when.all_day"


@pytest.mark.parametrize(
    ("text", "seats"), [("20", 20), (" 20 ", 20), ("illimité", None), ("Unlimited", None)]
)
def test_capacity_values(text: str, seats: int | None) -> None:
    assert read_capacity(text).seats == seats


@pytest.mark.parametrize("text", ["vingt", "-3", "2.5", "9" * 5000])
def test_capacity_values_refused(text: str) -> None:
    with pytest.raises(ArgumentError) as error:
        read_capacity(text)
    assert error.value.key == "event.option.capacity"


def test_visibility_values() -> None:
    assert read_visibility("Membres") is Visibility.MEMBERS
    assert read_visibility("PUBLIC") is Visibility.PUBLIC
    with pytest.raises(ArgumentError):
        read_visibility("secret")


# --- RSVPs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("k3f9q2", RsvpRequest("k3f9q2")),
        ("#K3F9Q2", RsvpRequest("k3f9q2")),
        ("k3f9q2 +2", RsvpRequest("k3f9q2", 2)),
        ("k3f9q2 + 2", RsvpRequest("k3f9q2", 2)),
        ("k3f9q2+2", RsvpRequest("k3f9q2", 2)),
        ("+2 k3f9q2", RsvpRequest("k3f9q2", 2)),
        ("k3f9q2 avec 3 personnes", RsvpRequest("k3f9q2", 3)),
        ("k3f9q2 with 1 friend", RsvpRequest("k3f9q2", 1)),
    ],
)
def test_rsvp_requests(args: str, expected: RsvpRequest) -> None:
    assert parse_rsvp(args) == expected


@pytest.mark.parametrize(
    ("args", "key"),
    [
        ("", "event.id.missing"),
        ("+2", "event.id.missing"),
        ("k3f9q2 beaucoup", "event.rsvp.guests"),
        ("k3f9q2 +99999999999", "event.rsvp.guests"),
    ],
)
def test_malformed_rsvps(args: str, key: str) -> None:
    with pytest.raises(ArgumentError) as error:
        parse_rsvp(args)
    assert error.value.key == key


@given(st.text())
def test_rsvp_parsing_answers_anything(args: str) -> None:
    with contextlib.suppress(ArgumentError):
        parse_rsvp(args)


# --- Places ------------------------------------------------------------------------------------


def test_places_by_postcode_trailing_commune_or_team() -> None:
    market = event_place(MARKET, TEAM)
    assert (market.text, market.commune, market.postcode, market.precision) == (
        MARKET,
        "Lyon 4e Arrondissement",
        "69004",
        "commune",
    )
    assert market.latitude is not None and market.longitude is not None
    bellecour = event_place("Place Bellecour,  Lyon", TEAM)
    assert (bellecour.text, bellecour.commune) == ("Place Bellecour, Lyon", "Lyon")
    # Several communes share the name: the team's département's, else the most populous.
    mairie = event_place("Devant la mairie, Saint-Denis", replace(TEAM, departement="93"))
    assert (mairie.commune, mairie.postcode) == ("Saint-Denis", "93200")
    assert event_place("Devant la mairie, Saint-Denis", TEAM).postcode == "97400"
    local = event_place("Local de l'équipe", TEAM)
    assert (local.commune, local.postcode, local.latitude, local.precision) == (
        "Lyon 3e Arrondissement",
        "69003",
        45.76,
        "team",
    )
    online = event_place("https://visio.example.org/f", TEAM, EventKind.ONLINE)
    assert (online.commune, online.latitude) == (None, None)


# --- Wording -----------------------------------------------------------------------------------

# Every refusal the event commands can send, with the parameters it carries.
EVENT_REFUSALS = [
    events.EventError(events.TITLE_LENGTH, min=3, max=120),
    events.EventError(events.DESCRIPTION_LENGTH, max=2000),
    events.EventError(events.KIND_INVALID, kind="fête"),
    events.EventError(events.VISIBILITY_INVALID, visibility="secret"),
    events.EventError(events.IN_THE_PAST),
    events.EventError(events.END_BEFORE_START),
    events.EventError(events.TOO_LONG, days=7),
    events.EventError(events.CAPACITY_INVALID, max=100_000),
    events.EventError(events.CAPACITY_BELOW_TAKEN, capacity=2, taken=5),
    events.EventError(events.NOT_FOUND, event="k3f9q2"),
    events.EventError(events.CANCELLED, event="k3f9q2"),
    events.EventError(events.OVER, event="k3f9q2"),
    events.EventError(events.ORGANIZERS_ONLY),
    events.EventError(events.MEMBERS_ONLY, event="k3f9q2"),
    events.EventError(events.FULL, event="k3f9q2", capacity=20, left=1),
    events.EventError(events.GUESTS_INVALID, max=10),
    ArgumentError(event_arguments.FIELDS_MISSING),
    ArgumentError(event_arguments.NO_TITLE),
    ArgumentError(event_arguments.NO_PLACE),
    ArgumentError(event_arguments.ALL_DAY, text="samedi"),
    ArgumentError(event_arguments.RECURRING, text="tous les mardis"),
    ArgumentError(event_arguments.ID_MISSING),
    ArgumentError(event_arguments.BAD_GUESTS, text="beaucoup"),
    ArgumentError(event_options.BAD_CAPACITY, text="beaucoup", max=100_000),
    ArgumentError(event_options.BAD_VISIBILITY, text="secret"),
    ArgumentError(event_options.BAD_KIND, text="fête"),
    ArgumentError(event_fields.EDIT_MISSING),
    ArgumentError(event_fields.UNKNOWN_FIELD, field="couleur"),
    ArgumentError(event_fields.MISSING_VALUE, field="lieu"),
    ArgumentError("event.elsewhere", event="k3f9q2"),
]


def declared_keys() -> set[str]:
    """Every message key the event domain and the event commands' parsers declare."""
    return {
        value
        for module in (events, event_arguments, event_fields, event_options)
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str) and value.startswith("event.")
    }


def test_every_event_refusal_is_covered_here() -> None:
    assert declared_keys() <= {error.key for error in EVENT_REFUSALS}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("error", EVENT_REFUSALS, ids=repr)
def test_every_event_refusal_is_worded(error: DomainError, language: str) -> None:
    assert set(MESSAGES[error.key]) == {"fr", "en"}
    reply = refusal(error, language, hint="event.usage.action")
    assert reply.body.strip() and "{" not in reply.body
    assert reply.html and "{" not in reply.html
    assert "Désolé, quelque chose s'est mal passé" not in reply.body


@pytest.mark.parametrize(
    "key", sorted(key for key in MESSAGES if key.startswith(("event.", "help.")))
)
def test_event_wording_in_both_languages(key: str) -> None:
    assert MESSAGES[key].keys() == {"fr", "en"}


def test_usage_lines_show_an_example() -> None:
    usage = translate("event.usage.action", "fr")
    assert usage.startswith("Écrivez : !action <titre> | <date et heure> | <lieu>")
    assert "« !action Tractage au marché | samedi 10h-12h | Marché de la Croix-Rousse" in usage
    assert translate("event.usage.edit", "en").startswith("Type: !edit <id> <field> <value>")


@pytest.mark.parametrize(
    ("start", "end", "language", "text"),
    [
        (SATURDAY_10H, None, "fr", "sam. 21 nov. à 10h00"),
        (SATURDAY_10H, None, "en", "Sat 21 Nov, 10:00"),
        (SATURDAY_10H, at(21, 12), "fr", "sam. 21 nov. de 10h00 à 12h00"),
        (SATURDAY_10H, at(21, 12), "en", "Sat 21 Nov, 10:00–12:00"),
        (at(21, 22), at(22, 2), "fr", "du sam. 21 nov. à 22h00 au dim. 22 nov. à 2h00"),
        (at(21, 22), at(22, 2), "en", "Sat 21 Nov, 22:00 – Sun 22 Nov, 02:00"),
        (at(1, 9, month=12), None, "fr", "mar. 1er déc. à 9h00"),
        (at(2, 9, month=1, year=2027), None, "fr", "sam. 2 janv. 2027 à 9h00"),
        (at(2, 9, month=1, year=2027), None, "en", "Sat 2 Jan 2027, 09:00"),
    ],
)
def test_moments_in_the_configured_zone(
    start: datetime, end: datetime | None, language: str, text: str
) -> None:
    def ms(moment: datetime) -> int:
        return int(moment.timestamp() * 1000)

    shown = format_moment(
        ms(start), None if end is None else ms(end), PARIS, language, this_year=2026
    )
    assert shown == text
