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


# --- Events in team rooms (agenda bot: bots/event_commands.py) ------------------------------
MESSAGES.update(
    {
        "help.action": {
            "fr": "crée une action de l'équipe : <titre> | <date et heure> | <lieu> "
            "[| <description>] [| places: 20] [| membres], par exemple « !action Tractage au "
            "marché | samedi 10h-12h | Marché de la Croix-Rousse, 69004 Lyon »",
            "en": "creates an action of the team: <title> | <date and time> | <place> "
            "[| <description>] [| seats: 20] [| members], for example “!event Leafleting at the "
            "market | saturday 10am-12pm | Croix-Rousse market, 69004 Lyon”",
        },
        "help.reunion": {
            "fr": "crée une réunion, comme !action",
            "en": "creates a meeting, like !event",
        },
        "help.en_ligne": {
            "fr": "crée un événement en ligne, comme !action ; le lieu peut être un lien",
            "en": "creates an online event, like !event; the place may be a link",
        },
        "help.modifier": {
            "fr": "change un événement : <id> <champ> <valeur> ; champs : titre, date, fin, "
            "durée, lieu, description, places, visibilité, type",
            "en": "changes an event: <id> <field> <value>; fields: title, date, end, duration, "
            "place, description, seats, visibility, kind",
        },
        "help.annuler": {
            "fr": "annule un événement (il reste dans l'agenda, marqué annulé)",
            "en": "cancels an event (it stays in the agenda, marked cancelled)",
        },
        "help.agenda": {
            "fr": "les événements à venir de l'équipe, et le lien de son agenda",
            "en": "the team's coming events, and the link to its calendar",
        },
        "help.participants": {
            "fr": "qui vient à un événement (gestionnaires et référents)",
            "en": "who is coming to an event (managers and referents)",
        },
        "help.jyvais": {
            "fr": "vous venez à un événement ; « +2 » si deux personnes vous accompagnent",
            "en": "you are coming to an event; “+2” if two people come with you",
        },
        "help.jnypluspas": {
            "fr": "vous ne venez plus à un événement",
            "en": "you are no longer coming to an event",
        },
        # How each command is written, with an example: the last line of a refusal.
        "event.usage.action": {
            "fr": "Écrivez : !action <titre> | <date et heure> | <lieu> [| <description>], par "
            "exemple « !action Tractage au marché | samedi 10h-12h | Marché de la Croix-Rousse, "
            "69004 Lyon | Rendez-vous devant la fontaine ». À la fin, si besoin : « | places: 20 » "
            "(nombre de places), « | membres » (réservé aux membres de l'équipe).",
            "en": "Type: !event <title> | <date and time> | <place> [| <description>], for "
            "example “!event Leafleting at the market | saturday 10am-12pm | Croix-Rousse "
            "market, 69004 Lyon | Meet at the fountain”. At the end, if needed: “| seats: 20” "
            "(number of seats), “| members” (for the team's members only).",
        },
        "event.usage.meeting": {
            "fr": "Écrivez : !reunion <titre> | <date et heure> | <lieu> [| <description>], par "
            "exemple « !reunion Réunion d'équipe | jeudi 19h-21h | Local, 12 rue Dumenge, 69004 "
            "Lyon | membres ».",
            "en": "Type: !meeting <title> | <date and time> | <place> [| <description>], for "
            "example “!meeting Team meeting | thursday 7pm-9pm | Office, 12 rue Dumenge, 69004 "
            "Lyon | members”.",
        },
        "event.usage.online": {
            "fr": "Écrivez : !en-ligne <titre> | <date et heure> | <lien> [| <description>], par "
            "exemple « !en-ligne Formation porte-à-porte | mardi 20h-21h | "
            "https://visio.exemple.org/formation ».",
            "en": "Type: !online <title> | <date and time> | <link> [| <description>], for "
            "example “!online Door-to-door training | tuesday 8pm-9pm | "
            "https://meet.example.org/training”.",
        },
        "event.usage.edit": {
            "fr": "Écrivez : !modifier <id> <champ> <valeur>, par exemple « !modifier k3f9q2 date "
            "samedi 14h » ou « !modifier k3f9q2 places 30 ». Champs : titre, date (début), fin, "
            "durée, lieu, description, places (un nombre ou « illimité »), visibilité (« public » "
            "ou « membres »), type (action, réunion, en ligne).",
            "en": "Type: !edit <id> <field> <value>, for example “!edit k3f9q2 date saturday "
            "2pm” or “!edit k3f9q2 seats 30”. Fields: title, date (start), end, duration, place, "
            "description, seats (a number or “unlimited”), visibility (“public” or “members”), "
            "kind (action, meeting, online).",
        },
        "event.usage.cancel": {
            "fr": "Écrivez : !annuler <id>, par exemple « !annuler k3f9q2 ». Les identifiants "
            "sont dans !agenda.",
            "en": "Type: !cancel <id>, for example “!cancel k3f9q2”. The ids are in !agenda.",
        },
        "event.usage.participants": {
            "fr": "Écrivez : !participants <id>, par exemple « !participants k3f9q2 ». Les "
            "identifiants sont dans !agenda.",
            "en": "Type: !attendees <id>, for example “!attendees k3f9q2”. The ids are in !agenda.",
        },
        "event.usage.going": {
            "fr": "Écrivez : !jyvais <id>, par exemple « !jyvais k3f9q2 », ou « !jyvais k3f9q2 +2 "
            "» si deux personnes viennent avec vous. Les identifiants sont dans !agenda.",
            "en": "Type: !going <id>, for example “!going k3f9q2”, or “!going k3f9q2 +2” if two "
            "people come with you. The ids are in !agenda.",
        },
        "event.usage.not_going": {
            "fr": "Écrivez : !jnypluspas <id>, par exemple « !jnypluspas k3f9q2 ». Les "
            "identifiants sont dans !agenda.",
            "en": "Type: !notgoing <id>, for example “!notgoing k3f9q2”. The ids are in !agenda.",
        },
        # What could not be read in a command (bots/event_arguments.py and neighbours).
        "event.action.fields": {
            "fr": "Il me faut au moins un titre, une date avec l'heure et un lieu, séparés par "
            "« | ».",
            "en": "I need at least a title, a date with the time and a place, separated by “|”.",
        },
        "event.action.no_title": {
            "fr": "Le titre est vide.",
            "en": "The title is empty.",
        },
        "event.action.no_place": {
            "fr": "Le lieu est vide : donnez une adresse, un point de rendez-vous ou une commune.",
            "en": "The place is empty: give an address, a meeting point or a commune.",
        },
        "event.when.all_day": {
            "fr": "« {text} » donne le jour mais pas l'heure : à quelle heure est-ce ? Par "
            "exemple « {text} à 10h » ou « {text} 10h-12h ».",
            "en": "“{text}” gives the day but not the time: at what time is it? For example "
            "“{text} at 10am” or “{text} 10am-12pm”.",
        },
        "event.when.recurring": {
            "fr": "« {text} » se répète : je crée un événement à la fois. Donnez la date du "
            "premier, par exemple « mardi 19h ».",
            "en": "“{text}” repeats: I create one event at a time. Give the date of the first "
            "one, for example “tuesday 7pm”.",
        },
        "event.option.capacity": {
            "fr": "« {text} » n'est pas un nombre de places : écrivez un nombre de 1 à {max}, ou "
            "« illimité ». Par exemple « places: 20 ».",
            "en": "“{text}” is not a number of seats: write a number from 1 to {max}, or "
            "“unlimited”. For example “seats: 20”.",
        },
        "event.option.visibility": {
            "fr": "« {text} » : un événement est « public » (par défaut) ou réservé aux "
            "« membres » de l'équipe.",
            "en": "“{text}”: an event is “public” (the default) or for the team's “members” only.",
        },
        "event.option.kind": {
            "fr": "« {text} » n'est pas un type d'événement : action, réunion ou en ligne.",
            "en": "“{text}” is not a kind of event: action, meeting or online.",
        },
        "event.id.missing": {
            "fr": "Il manque l'identifiant de l'événement (six lettres et chiffres, comme "
            "k3f9q2) : il est dans la confirmation de création et dans !agenda.",
            "en": "The event's id is missing (six letters and digits, like k3f9q2): it is in "
            "the creation's confirmation and in !agenda.",
        },
        "event.edit.missing": {
            "fr": "Il me faut l'identifiant de l'événement, le champ à changer et sa nouvelle "
            "valeur.",
            "en": "I need the event's id, the field to change and its new value.",
        },
        "event.edit.unknown_field": {
            "fr": "« {field} » n'est pas un champ que je sais changer.",
            "en": "“{field}” is not a field I can change.",
        },
        "event.edit.missing_value": {
            "fr": "Il manque la nouvelle valeur de « {field} ».",
            "en": "The new value of “{field}” is missing.",
        },
        "event.rsvp.guests": {
            "fr": "« {text} » : après l'identifiant, écrivez seulement le nombre de personnes qui "
            "viennent avec vous, précédé de « + », par exemple « +2 ».",
            "en": "“{text}”: after the id, write only the number of people coming with you, "
            "after a “+”, for example “+2”.",
        },
        "event.elsewhere": {
            "fr": "L'événement {event} est celui d'une autre équipe : écrivez dans le salon de "
            "cette équipe.",
            "en": "The event {event} belongs to another team: write in that team's room.",
        },
        # Refusals of the domain (bridge/domain/events.py).
        "event.title.length": {
            "fr": "Le titre d'un événement doit faire entre {min} et {max} caractères.",
            "en": "An event's title must be {min} to {max} characters long.",
        },
        "event.description.length": {
            "fr": "La description dépasse {max} caractères : raccourcissez-la.",
            "en": "The description is longer than {max} characters: shorten it.",
        },
        "event.kind.invalid": {
            "fr": "« {kind} » n'est pas un type d'événement : action, réunion ou en ligne.",
            "en": "“{kind}” is not a kind of event: action, meeting or online.",
        },
        "event.visibility.invalid": {
            "fr": "« {visibility} » : un événement est public ou réservé aux membres.",
            "en": "“{visibility}”: an event is public or for members only.",
        },
        "event.past": {
            "fr": "Ce moment est déjà passé : un événement commence dans le futur.",
            "en": "That moment has already passed: an event starts in the future.",
        },
        "event.end_before_start": {
            "fr": "La fin doit venir après le début.",
            "en": "The end must come after the start.",
        },
        "event.too_long": {
            "fr": "Un événement dure au plus {days} jours.",
            "en": "An event lasts at most {days} days.",
        },
        "event.capacity.invalid": {
            "fr": "Le nombre de places va de 1 à {max} (ou « illimité »).",
            "en": "The number of seats goes from 1 to {max} (or “unlimited”).",
        },
        "event.capacity.below_taken": {
            "fr": "{taken} places sont déjà prises : il ne peut pas y en avoir seulement "
            "{capacity}.",
            "en": "{taken} seats are already taken: there cannot be only {capacity}.",
        },
        "event.not_found": {
            "fr": "Je ne trouve pas d'événement « {event} ». Tapez !agenda pour voir les "
            "identifiants.",
            "en": "I cannot find the event “{event}”. Type !agenda to see the ids.",
        },
        "event.cancelled": {
            "fr": "L'événement {event} est annulé.",
            "en": "The event {event} is cancelled.",
        },
        "event.over": {
            "fr": "L'événement {event} est terminé.",
            "en": "The event {event} is over.",
        },
        "event.organizers_only": {
            "fr": "Seuls les gestionnaires et les référents de l'équipe peuvent organiser ses "
            "événements. Demandez à l'un d'eux, ou tapez !membres pour les voir.",
            "en": "Only the team's managers and referents can organise its events. Ask one of "
            "them, or type !members to see who they are.",
        },
        "event.members_only": {
            "fr": "L'événement {event} est réservé aux membres de l'équipe.",
            "en": "The event {event} is for the team's members only.",
        },
        "event.full": {
            "fr": "Pas assez de places : l'événement {event} est complet ou presque (il en reste "
            "{left} sur {capacity}).",
            "en": "Not enough seats: the event {event} is full or nearly so ({left} left out of "
            "{capacity}).",
        },
        "event.guests.invalid": {
            "fr": "Vous pouvez venir avec {max} personnes au plus.",
            "en": "You can come with at most {max} people.",
        },
        # Replies.
        "event.created.action": {
            "fr": "✅ Action « {title} » créée — identifiant {id}.",
            "en": "✅ Action “{title}” created — id {id}.",
        },
        "event.created.meeting": {
            "fr": "✅ Réunion « {title} » créée — identifiant {id}.",
            "en": "✅ Meeting “{title}” created — id {id}.",
        },
        "event.created.online": {
            "fr": "✅ Événement en ligne « {title} » créé — identifiant {id}.",
            "en": "✅ Online event “{title}” created — id {id}.",
        },
        "event.created.next": {
            "fr": "Pour venir : !jyvais {id}. Pour changer un détail : !modifier {id} <champ> "
            "<valeur>.",
            "en": "To come: !going {id}. To change a detail: !edit {id} <field> <value>.",
        },
        "event.edited": {
            "fr": "✏️ « {title} » ({id}) est modifié :",
            "en": "✏️ “{title}” ({id}) is changed:",
        },
        "event.cancel.done": {
            "fr": "❌ « {title} » ({id}) est annulé.",
            "en": "❌ “{title}” ({id}) is cancelled.",
        },
        "event.cancel.going.zero": {
            "fr": "Personne n'avait dit venir.",
            "en": "Nobody had said they were coming.",
        },
        "event.cancel.going.one": {
            "fr": "1 personne avait dit venir : je la préviens dans ce salon.",
            "en": "1 person had said they were coming: I am telling them in this room.",
        },
        "event.cancel.going.many": {
            "fr": "{count} personnes avaient dit venir : je les préviens dans ce salon.",
            "en": "{count} people had said they were coming: I am telling them in this room.",
        },
        "event.place.online": {"fr": "En ligne", "en": "Online"},
        "event.detail.when": {"fr": "🗓 {when}", "en": "🗓 {when}"},
        "event.detail.place": {"fr": "📍 {place}", "en": "📍 {place}"},
        "event.detail.capacity": {"fr": "👥 {capacity} places", "en": "👥 {capacity} seats"},
        "event.detail.members_only": {
            "fr": "🔒 réservé aux membres de l'équipe",
            "en": "🔒 for the team's members only",
        },
        "event.detail.description": {"fr": "📝 {description}", "en": "📝 {description}"},
        "event.rsvp.going": {
            "fr": "👍 C'est noté : vous venez à « {title} » ({when}).",
            "en": "👍 Noted: you are coming to “{title}” ({when}).",
        },
        "event.rsvp.going_with.one": {
            "fr": "👍 C'est noté : vous venez à « {title} » ({when}) avec une personne.",
            "en": "👍 Noted: you are coming to “{title}” ({when}) with one person.",
        },
        "event.rsvp.going_with.many": {
            "fr": "👍 C'est noté : vous venez à « {title} » ({when}) avec {count} personnes.",
            "en": "👍 Noted: you are coming to “{title}” ({when}) with {count} people.",
        },
        "event.rsvp.already": {
            "fr": "C'était déjà noté : vous venez à « {title} » ({when}).",
            "en": "Already noted: you are coming to “{title}” ({when}).",
        },
        "event.rsvp.left.zero": {
            "fr": "Il ne reste plus de place.",
            "en": "No seats left.",
        },
        "event.rsvp.left.one": {
            "fr": "Il reste 1 place.",
            "en": "1 seat left.",
        },
        "event.rsvp.left.many": {
            "fr": "Il reste {count} places.",
            "en": "{count} seats left.",
        },
        "event.rsvp.not_going": {
            "fr": "C'est noté : vous ne venez pas à « {title} ».",
            "en": "Noted: you are not coming to “{title}”.",
        },
        "event.rsvp.not_going_already": {
            "fr": "C'était déjà noté : vous ne venez pas à « {title} ».",
            "en": "Already noted: you are not coming to “{title}”.",
        },
        "event.agenda.title": {
            "fr": "Agenda de l'équipe « {team} » :",
            "en": "Agenda of the team “{team}”:",
        },
        "event.agenda.empty": {
            "fr": "Aucun événement à venir. Les gestionnaires et les référents en créent avec "
            "!action, !reunion ou !en-ligne.",
            "en": "No coming events. Managers and referents create them with !event, "
            "!meeting or !online.",
        },
        "event.agenda.more": {
            "fr": "… et {count} de plus.",
            "en": "… and {count} more.",
        },
        "event.agenda.cancelled": {"fr": "ANNULÉ", "en": "CANCELLED"},
        "event.agenda.seats": {
            "fr": "{taken}/{capacity} places prises",
            "en": "{taken}/{capacity} seats taken",
        },
        "event.agenda.going.zero": {"fr": "personne d'inscrit", "en": "nobody coming yet"},
        "event.agenda.going.one": {"fr": "1 inscrit", "en": "1 coming"},
        "event.agenda.going.many": {"fr": "{count} inscrits", "en": "{count} coming"},
        "event.agenda.feed": {
            "fr": "📅 L'agenda dans votre calendrier (abonnement) : {url}",
            "en": "📅 The agenda in your calendar app (subscription): {url}",
        },
        "event.agenda.feed_private": {
            "fr": "🔒 Avec les événements réservés aux membres (lien à ne pas partager) : {url}",
            "en": "🔒 With the members-only events (do not share this link): {url}",
        },
        "event.participants.title": {
            "fr": "Participants à « {title} » ({id}) :",
            "en": "Attendees of “{title}” ({id}):",
        },
        "event.participants.nobody": {
            "fr": "Personne n'a encore dit venir.",
            "en": "Nobody has said they are coming yet.",
        },
        "event.participants.count": {
            "fr": "Inscrits : {people} · personnes attendues (accompagnants compris) : {seats}",
            "en": "Going: {people} · people expected (guests included): {seats}",
        },
        "event.participants.capacity": {
            "fr": "Inscrits : {people} · places prises : {seats}/{capacity}",
            "en": "Going: {people} · seats taken: {seats}/{capacity}",
        },
    }
)

#: How each kind of event is written (the values of ``bridge.db.events.EventKind``).
EVENT_KIND_NAMES: Mapping[str, Mapping[Language, str]] = MappingProxyType(
    {
        "action": {"fr": "action", "en": "action"},
        "meeting": {"fr": "réunion", "en": "meeting"},
        "online": {"fr": "en ligne", "en": "online"},
    }
)

_SHORT_WEEKDAYS: Mapping[Language, tuple[str, ...]] = MappingProxyType(
    {
        "fr": ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."),
        "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    }
)
_SHORT_MONTHS: Mapping[Language, tuple[str, ...]] = MappingProxyType(
    {
        "fr": (
            "janv.",
            "févr.",
            "mars",
            "avr.",
            "mai",
            "juin",
            "juil.",
            "août",
            "sept.",
            "oct.",
            "nov.",
            "déc.",
        ),
        "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    }
)


def translate_count(
    key: str, count: int, language: Language = DEFAULT_LANGUAGE, **values: Any
) -> str:
    """The sentence ``key.zero``, ``key.one`` or ``key.many`` for ``count`` (a missing
    ``.zero`` falls back to ``.many``), with ``count`` among its values."""
    suffix = "zero" if count == 0 else "one" if count == 1 else "many"
    if f"{key}.{suffix}" not in MESSAGES:
        suffix = "many"
    return translate(f"{key}.{suffix}", language, count=count, **values)


def _short_day(moment: datetime, language: Language, this_year: int | None) -> str:
    weekdays = _SHORT_WEEKDAYS.get(language) or _SHORT_WEEKDAYS[DEFAULT_LANGUAGE]
    months = _SHORT_MONTHS.get(language) or _SHORT_MONTHS[DEFAULT_LANGUAGE]
    number = "1er" if moment.day == 1 and language != "en" else str(moment.day)
    year = "" if moment.year == this_year else f" {moment.year}"
    return f"{weekdays[moment.weekday()]} {number} {months[moment.month - 1]}{year}"


def _short_clock(moment: datetime, language: Language) -> str:
    return f"{moment:%H:%M}" if language == "en" else f"{moment.hour}h{moment.minute:02d}"


def format_moment(
    start_ms: int,
    end_ms: int | None,
    zone: ZoneInfo,
    language: Language = DEFAULT_LANGUAGE,
    *,
    this_year: int | None = None,
) -> str:
    """When an event happens, short, in ``zone``: "sam. 21 nov. à 10h00", "sam. 21 nov. de
    10h00 à 12h00", "Sat 21 Nov, 10:00–12:00"; the year is written unless it is ``this_year``."""
    start = datetime.fromtimestamp(start_ms / 1000, zone)
    day, clock = _short_day(start, language, this_year), _short_clock(start, language)
    english = language == "en"
    if end_ms is None:
        return f"{day}, {clock}" if english else f"{day} à {clock}"
    end = datetime.fromtimestamp(end_ms / 1000, zone)
    until = _short_clock(end, language)
    if end.date() == start.date():
        return f"{day}, {clock}–{until}" if english else f"{day} de {clock} à {until}"
    end_day = _short_day(end, language, this_year)
    if english:
        return f"{day}, {clock} – {end_day}, {until}"
    return f"du {day} à {clock} au {end_day} à {until}"


def event_kind_name(kind: str, language: Language = DEFAULT_LANGUAGE) -> str:
    """A kind of event in words: "meeting" → "réunion"."""
    names = EVENT_KIND_NAMES.get(kind)
    if names is None:
        return kind
    return names.get(language) or names[DEFAULT_LANGUAGE]
