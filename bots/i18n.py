"""Every sentence a bot says, in French (default) and English. One place for all wording."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from bridge.domain.roles import Role

Language = str  # "fr" | "en"
DEFAULT_LANGUAGE: Language = "fr"

MESSAGES: dict[str, dict[Language, str]] = {
    "help.header": {
        "fr": "Voici ce que je sais faire :",
        "en": "Here is what I can do:",
    },
    "help.footer": {
        "fr": "Écrivez une commande dans ce salon, par exemple {example}.",
        "en": "Type a command in this room, for example {example}.",
    },
    "command.unknown": {
        "fr": "Je ne connais pas la commande « {command} ». Tapez !aide pour la liste.",
        "en": "I don't know the command “{command}”. Type !help for the list.",
    },
    "command.unknown_suggest": {
        "fr": "Je ne connais pas la commande « {command} ». Vouliez-vous dire {suggestion} ? "
        "Tapez !aide pour la liste.",
        "en": "I don't know the command “{command}”. Did you mean {suggestion}? "
        "Type !help for the list.",
    },
    "command.empty": {
        "fr": "Il manque le nom de la commande après « ! ». Tapez !aide pour la liste.",
        "en": "The command name is missing after “!”. Type !help for the list.",
    },
    "command.not_a_command": {
        "fr": "Je réponds aux commandes qui commencent par « ! ». Tapez !aide pour commencer.",
        "en": "I answer commands starting with “!”. Type !help to begin.",
    },
    "command.failed": {
        "fr": "Désolé, quelque chose s'est mal passé de mon côté. Réessayez dans un instant ; "
        "si cela persiste, prévenez un administrateur.",
        "en": "Sorry, something went wrong on my side. Try again in a moment; "
        "if it persists, tell an administrator.",
    },
    "decrypt.failed": {
        "fr": "🔒 Je n'ai pas pu déchiffrer votre message (il me manque la clé de chiffrement). "
        "J'ai redemandé la clé ; renvoyez votre message dans un instant. Si cela se reproduit, "
        "vérifiez que votre client n'envoie pas seulement aux sessions vérifiées.",
        "en": "🔒 I could not decrypt your message (I am missing its encryption key). "
        "I asked for the key again; please resend your message in a moment. If it happens again, "
        "check that your client does not send only to verified sessions.",
    },
    "welcome.greeting": {
        "fr": "Bonjour ! Je suis le bot d'accueil de Ralliement. Tapez !aide pour voir ce que "
        "je sais faire.",
        "en": "Hello! I am Ralliement's welcome bot. Type !help to see what I can do.",
    },
    "help.aide": {
        "fr": "affiche cette aide",
        "en": "shows this help",
    },
    "help.creer_equipe": {
        "fr": "crée une équipe locale dont vous êtes référent : <nom> puis <code postal ou "
        "commune>, par exemple « !creer-equipe Les Insoumis du 3e 69003 » ; pour séparer le nom "
        "du lieu, « | » ou « , »",
        "en": "creates a local team that you lead: <name> then <postcode or commune>, for "
        "example “!create-team Les Insoumis du 3e 69003”; to separate the name from the place, "
        "“|” or “,”",
    },
    "help.equipe": {
        "fr": "la fiche de l'équipe de ce salon",
        "en": "the card of this room's team",
    },
    "help.membres": {
        "fr": "les membres de l'équipe et leurs rôles",
        "en": "the team's members and their roles",
    },
    "help.role": {
        "fr": "change le rôle d'un membre (membre, gestionnaire, référent)",
        "en": "changes a member's role (member, manager, referent)",
    },
    # --- Refusals of the domain (bridge.domain), with their parameters ----------------------
    "team.name.length": {
        "fr": "Le nom d'une équipe doit faire entre {min} et {max} caractères.",
        "en": "A team's name must be {min} to {max} characters long.",
    },
    "team.avatar.invalid": {
        "fr": "« {url} » n'est pas une image du serveur (mxc://…).",
        "en": "“{url}” is not an image on the homeserver (mxc://…).",
    },
    "team.kind.invalid": {
        "fr": "« {kind} » n'est pas un type d'équipe : une équipe est locale ou thématique.",
        "en": "“{kind}” is not a kind of team: a team is local or thematic.",
    },
    "team.place.required": {
        "fr": "Une équipe locale a besoin d'un lieu : un code postal ou une commune.",
        "en": "A local team needs a place: a postcode or a commune.",
    },
    "team.not_found": {
        "fr": "Je ne trouve pas l'équipe « {team} ».",
        "en": "I cannot find the team “{team}”.",
    },
    "team.archived": {
        "fr": "Cette équipe est archivée : elle ne peut plus être modifiée.",
        "en": "This team is archived: it can no longer be changed.",
    },
    "team.not_member": {
        "fr": "Vous n'êtes pas membre de cette équipe.",
        "en": "You are not a member of this team.",
    },
    "team.member.not_found": {
        "fr": "{user} n'est pas membre de cette équipe.",
        "en": "{user} is not a member of this team.",
    },
    "team.no_team_here": {
        "fr": "Ce salon n'est le salon d'aucune équipe. Tapez cette commande dans le salon de "
        "votre équipe.",
        "en": "This room is not a team's room. Type this command in your team's room.",
    },
    "team.role.not_allowed": {
        "fr": "Vous ne pouvez pas changer ce rôle : il faut un rôle plus élevé que celui de la "
        "personne (membre, puis gestionnaire, puis référent).",
        "en": "You cannot change this role: it takes a role higher than the person's "
        "(member, then manager, then referent).",
    },
    "team.role.self_change": {
        "fr": "Vous ne pouvez pas vous donner un autre rôle vous-même : demandez-le à un "
        "référent de l'équipe.",
        "en": "You cannot give yourself another role: ask a referent of the team.",
    },
    "team.role.referent_only": {
        "fr": "Seul un référent de l'équipe peut nommer quelqu'un {role}.",
        "en": "Only a referent of the team can make someone {role}.",
    },
    "team.role.too_many_referents": {
        "fr": "Une équipe a au plus {limit} référents : l'un d'eux doit d'abord changer de rôle.",
        "en": "A team has at most {limit} referents: one of them must change role first.",
    },
    "team.role.last_referent": {
        "fr": "Vous êtes le seul référent de l'équipe : nommez d'abord un autre référent.",
        "en": "You are the team's only referent: make someone else referent first.",
    },
    "team.leave.last_referent": {
        "fr": "Vous êtes le seul référent de l'équipe : nommez un autre référent avant de partir.",
        "en": "You are the team's only referent: make someone else referent before leaving.",
    },
    "place.unknown": {
        "fr": "Je ne connais pas de commune ou de code postal « {place} ».",
        "en": "I know no commune or postcode “{place}”.",
    },
    "place.unknown.suggestions": {
        "fr": "Vouliez-vous dire :",
        "en": "Did you mean:",
    },
    "place.ambiguous": {
        "fr": "Plusieurs communes s'appellent « {place} » : précisez avec le code postal.",
        "en": "Several communes are called “{place}”: add the postcode.",
    },
    "place.ambiguous.candidates": {
        "fr": "Par exemple :",
        "en": "For example:",
    },
    # --- Team creation (welcome bot) --------------------------------------------------------
    "team.create.usage": {
        "fr": "Écrivez : !creer-equipe <nom> <code postal ou commune>, par exemple "
        "« !creer-equipe Les Insoumis du 3e 69003 » (nom « Les Insoumis du 3e ») ou "
        "« !creer-equipe Insoumis de Villeurbanne » (la commune reste dans le nom). "
        "Pour séparer le nom du lieu, mettez « | » ou « , » : "
        "« !creer-equipe Quartiers Nord, Marseille 13015 ».",
        "en": "Type: !create-team <name> <postcode or commune>, for example "
        "“!create-team Les Insoumis du 3e 69003” (named “Les Insoumis du 3e”) or "
        "“!create-team Insoumis de Villeurbanne” (the commune stays in the name). "
        "To separate the name from the place, use “|” or “,”: "
        "“!create-team Quartiers Nord, Marseille 13015”.",
    },
    "team.create.missing": {
        "fr": "Il me faut le nom de l'équipe, puis son code postal ou sa commune.",
        "en": "I need the team's name, then its postcode or commune.",
    },
    "team.create.missing_place": {
        "fr": "Je ne trouve pas de lieu à la fin de « {text} » : terminez par un code postal ou "
        "une commune.",
        "en": "I find no place at the end of “{text}”: end with a postcode or a commune.",
    },
    "team.create.local_only": {
        "fr": "Seuls les comptes de {domain} peuvent créer une équipe ; le vôtre est sur un autre "
        "serveur. Créez un compte sur {domain} pour rejoindre la campagne.",
        "en": "Only accounts on {domain} can create a team; yours is on another server. "
        "Create an account on {domain} to join the campaign.",
    },
    "team.create.quota": {
        "fr": "Vous avez déjà créé {limit} équipes ces dernières {hours} heures : réessayez plus "
        "tard, ou écrivez à l'équipe de campagne.",
        "en": "You have already created {limit} teams in the last {hours} hours: try again "
        "later, or write to the campaign team.",
    },
    "team.create.done": {
        "fr": "✅ Équipe « {name} » créée ({place}), identifiant {team}. Vous en êtes le référent. "
        "Je prépare son salon : vous y serez invité dans un instant.",
        "en": "✅ Team “{name}” created ({place}), id {team}. You are its referent. "
        "I am preparing its room: you will be invited in a moment.",
    },
    "team.create.room_ready": {
        "fr": "Le salon de l'équipe « {name} » est prêt et vous y êtes invité : acceptez "
        "l'invitation dans votre liste de salons ({link}). Dans le salon, tapez !equipe pour "
        "voir sa fiche et !aide pour le reste.",
        "en": "The room of the team “{name}” is ready and you are invited: accept the invite "
        "in your room list ({link}). In the room, type !team to see its card and !help for "
        "the rest.",
    },
    "team.create.room_late": {
        "fr": "Le salon de l'équipe « {name} » prend plus de temps que prévu ; l'invitation "
        "vous arrivera dès qu'il sera prêt.",
        "en": "The room of the team “{name}” is taking longer than expected; the invite will "
        "reach you as soon as it is ready.",
    },
    # --- Team rooms (agenda bot) ------------------------------------------------------------
    "team.card.title": {
        "fr": "Équipe « {name} » — {kind}",
        "en": "Team “{name}” — {kind}",
    },
    "team.card.place": {
        "fr": "Commune : {commune} ({postcode}), {departement}",
        "en": "Commune: {commune} ({postcode}), {departement}",
    },
    "team.card.members": {
        "fr": "Membres : {count}",
        "en": "Members: {count}",
    },
    "team.card.role": {
        "fr": "{role} : {people}",
        "en": "{role}: {people}",
    },
    "team.card.nobody": {
        "fr": "personne",
        "en": "nobody",
    },
    "team.card.created": {
        "fr": "Créée le {date}",
        "en": "Created on {date}",
    },
    "team.card.archived": {
        "fr": "Archivée le {date}",
        "en": "Archived on {date}",
    },
    "team.members.title": {
        "fr": "Membres de l'équipe « {name} » ({count}) :",
        "en": "Members of the team “{name}” ({count}):",
    },
    "team.members.more": {
        "fr": "… et {count} de plus.",
        "en": "… and {count} more.",
    },
    "role.usage": {
        "fr": "Écrivez : !role @personne <rôle>, par exemple « !role @bob:exemple.org "
        "gestionnaire » (ou mentionnez la personne en tapant @ et son nom). Rôles : membre, "
        "gestionnaire, référent.",
        "en": "Type: !role @person <role>, for example “!role @bob:example.org manager” "
        "(or mention the person by typing @ and their name). Roles: member, manager, referent.",
    },
    "role.unknown_word": {
        "fr": "« {word} » n'est pas un rôle. Rôles : membre, gestionnaire, référent.",
        "en": "“{word}” is not a role. Roles: member, manager, referent.",
    },
    "role.who": {
        "fr": "Je ne sais pas de qui vous parlez : mentionnez la personne (tapez @ puis son nom) "
        "ou donnez son identifiant, par exemple @bob:exemple.org.",
        "en": "I don't know who you mean: mention the person (type @ then their name) or give "
        "their ID, for example @bob:example.org.",
    },
    "role.who_ambiguous": {
        "fr": "Plusieurs personnes ici s'appellent « {name} » : mentionnez la bonne (tapez @ puis "
        "son nom) ou donnez son identifiant.",
        "en": "Several people here are called “{name}”: mention the right one (type @ then "
        "their name) or give their ID.",
    },
    "role.changed": {
        "fr": "{user} est maintenant {role}.",
        "en": "{user} is now {role}.",
    },
    "role.unchanged": {
        "fr": "{user} est déjà {role}.",
        "en": "{user} is already {role}.",
    },
    # --- Dates and times (ralliement.when) -------------------------------------------------
    "when.empty": {
        "fr": "Il manque la date : écrivez par exemple « demain 18h » ou « samedi 10h-12h ».",
        "en": "The date is missing: write for example “tomorrow 6pm” or “saturday 10am”.",
    },
    "when.unknown": {
        "fr": "Je ne comprends pas « {text} » dans une date. Par exemple : {examples}.",
        "en": "I don't understand “{text}” in a date. For example: {examples}.",
    },
    "when.invalid_date": {
        "fr": "Le {day}/{month} n'existe pas (jour/mois).",
        "en": "{day}/{month} is not a date (day/month).",
    },
    "when.invalid_time": {
        "fr": "« {time} » n'est pas une heure de la journée.",
        "en": "“{time}” is not a time of day.",
    },
    "when.ambiguous": {
        "fr": "« {first} » et « {second} » ne disent pas le même moment : gardez l'un des deux.",
        "en": "“{first}” and “{second}” do not say the same moment: keep one of them.",
    },
    "when.too_far": {
        "fr": "« {text} » est trop loin dans le temps.",
        "en": "“{text}” is too far in time.",
    },
    "when.duration_unknown": {
        "fr": "Je ne comprends pas la durée « {text} ». Par exemple : {examples}.",
        "en": "I don't understand the length “{text}”. For example: {examples}.",
    },
    # --- Event announcements (bots/announcements.py) ------------------------------------------
    "announce.title": {"fr": "📣 {title}", "en": "📣 {title}"},
    "announce.cancelled_title": {"fr": "❌ ANNULÉ : {title}", "en": "❌ CANCELLED: {title}"},
    "announce.when": {"fr": "🗓 {when}", "en": "🗓 {when}"},
    "announce.where": {"fr": "📍 {place}", "en": "📍 {place}"},
    "announce.capacity": {"fr": "👥 {capacity} places", "en": "👥 {capacity} places"},
    "announce.rsvp": {
        "fr": "Vous venez ? Réagissez ✅ à ce message ou écrivez !jyvais {id} "
        "(pour vous désister : !jnypluspas {id}).",
        "en": "Coming? React ✅ to this message or type !going {id} (to withdraw: !notgoing {id}).",
    },
    "announce.cancelled_notice": {
        "fr": "« {title} » ({when}) est annulé.",
        "en": "“{title}” ({when}) is cancelled.",
    },
}

#: How each role is written, singular and plural.
ROLE_NAMES: Mapping[Role, Mapping[Language, tuple[str, str]]] = MappingProxyType(
    {
        Role.MEMBER: {"fr": ("membre", "Membres"), "en": ("member", "Members")},
        Role.MANAGER: {"fr": ("gestionnaire", "Gestionnaires"), "en": ("manager", "Managers")},
        Role.REFERENT: {"fr": ("référent", "Référents"), "en": ("referent", "Referents")},
    }
)

#: The words accepted for each role in commands, compared without case or accents.
ROLE_WORDS: Mapping[Role, tuple[str, ...]] = MappingProxyType(
    {
        Role.MEMBER: ("membre", "member"),
        Role.MANAGER: ("gestionnaire", "manager"),
        Role.REFERENT: ("référent", "référente", "referent", "animateur", "animatrice"),
    }
)

#: How each kind of team is written (the values of ``bridge.db.teams.TeamKind``).
KIND_NAMES: Mapping[str, Mapping[Language, str]] = MappingProxyType(
    {
        "local": {"fr": "équipe locale", "en": "local team"},
        "thematic": {"fr": "équipe thématique", "en": "thematic team"},
    }
)

_WEEKDAYS: Mapping[Language, tuple[str, ...]] = MappingProxyType(
    {
        "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    }
)

_MONTHS: Mapping[Language, tuple[str, ...]] = MappingProxyType(
    {
        "fr": (
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ),
        "en": (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
    }
)


def translate(key: str, language: Language = DEFAULT_LANGUAGE, **values: Any) -> str:
    """The sentence ``key`` in ``language`` (French when that language lacks it)."""
    variants = MESSAGES[key]
    template = variants.get(language) or variants[DEFAULT_LANGUAGE]
    return template.format(**values)


def role_name(role: Role, language: Language = DEFAULT_LANGUAGE, *, plural: bool = False) -> str:
    """``Role.MANAGER`` → "gestionnaire" (or "Gestionnaires" with ``plural``)."""
    names = ROLE_NAMES[role]
    singular, plural_name = names.get(language) or names[DEFAULT_LANGUAGE]
    return plural_name if plural else singular


def kind_name(kind: str, language: Language = DEFAULT_LANGUAGE) -> str:
    """A kind of team in words: "local" → "équipe locale"."""
    names = KIND_NAMES.get(kind)
    if names is None:
        return kind
    return names.get(language) or names[DEFAULT_LANGUAGE]


def format_date(timestamp_ms: int, zone: ZoneInfo, language: Language = DEFAULT_LANGUAGE) -> str:
    """A day as people write it, in ``zone``: "1er mars 2026", "1 March 2026"."""
    day = datetime.fromtimestamp(timestamp_ms / 1000, zone)
    months = _MONTHS.get(language) or _MONTHS[DEFAULT_LANGUAGE]
    return f"{_day(day, language)} {months[day.month - 1]} {day.year}"


def _day(moment: datetime, language: Language) -> str:
    """The day of the month: "1er" in French for the first."""
    return "1er" if moment.day == 1 and language != "en" else str(moment.day)


def _clock(moment: datetime, language: Language) -> str:
    return f"{moment:%H:%M}" if language == "en" else f"{moment.hour}h{moment.minute:02d}"


def format_time_range(
    start_ms: int, end_ms: int, zone: ZoneInfo, language: Language = DEFAULT_LANGUAGE
) -> str:
    """When something happens, in ``zone``: "samedi 21 novembre, 10h00 – 12h00",
    "Saturday 21 November, 10:00 – 12:00" (the end's day is written when it differs)."""
    start = datetime.fromtimestamp(start_ms / 1000, zone)
    end = datetime.fromtimestamp(end_ms / 1000, zone)
    weekdays = _WEEKDAYS.get(language) or _WEEKDAYS[DEFAULT_LANGUAGE]
    months = _MONTHS.get(language) or _MONTHS[DEFAULT_LANGUAGE]
    date = f"{weekdays[start.weekday()]} {_day(start, language)} {months[start.month - 1]}"
    if start.date() == end.date():
        return f"{date}, {_clock(start, language)} – {_clock(end, language)}"
    end_day = f"{_day(end, language)} {months[end.month - 1]}"
    return f"{date}, {_clock(start, language)} – {end_day}, {_clock(end, language)}"
