"""Discovery (agenda bot): events and teams near a place, the home place, alerts near home."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- Help lines ------------------------------------------------------------------------------
    "help.autour": {
        "fr": "les événements à venir près d'un lieu (code postal, commune, adresse), les plus "
        "proches d'abord ; rayon en km à la fin (20 par défaut) ; sans lieu, autour de chez "
        "vous ; vous pouvez aussi m'envoyer votre position",
        "en": "the coming events near a place (postcode, commune, address), nearest first; "
        "radius in km at the end (20 by default); without a place, around your home; you can "
        "also send me your location",
    },
    "help.plus": {
        "fr": "la suite de votre dernière recherche",
        "en": "the next results of your last search",
    },
    "help.equipes_autour": {
        "fr": "les équipes près d'un lieu, les plus proches d'abord",
        "en": "the teams near a place, nearest first",
    },
    "help.chez_moi": {
        "fr": "enregistre votre lieu (commune ou adresse), pour !autour et !alerte",
        "en": "saves your home place (commune or address), for !near and !alert",
    },
    "help.alerte": {
        "fr": "vous prévient en message privé des nouveaux événements près de chez vous : "
        "!alerte 20 (rayon en km), !alerte off pour arrêter, !alerte seul pour voir",
        "en": "tells you in a private message about new events near your home: !alert 20 "
        "(radius in km), !alert off to stop, !alert alone to see",
    },
    # --- How each command is written, with an example: the last line of a refusal ----------------
    "search.usage.near": {
        "fr": "Écrivez : !autour <lieu> [rayon en km], par exemple « !autour 69004 », "
        "« !autour Villeurbanne 10 km » ou « !autour Saint-Denis (93) » ; ou envoyez-moi votre "
        "position (en message privé).",
        "en": "Type: !near <place> [radius in km], for example “!near 69004”, “!near "
        "Villeurbanne 10 km” or “!near Saint-Denis (93)”; or send me your location (in a "
        "private message).",
    },
    "search.usage.teams": {
        "fr": "Écrivez : !equipes-autour <lieu> [rayon en km], par exemple "
        "« !equipes-autour Grenoble » ou « !equipes-autour 38400 30 km ».",
        "en": "Type: !teams-near <place> [radius in km], for example “!teams-near Grenoble” or "
        "“!teams-near 38400 30 km”.",
    },
    "search.usage.home": {
        "fr": "Écrivez : !chez-moi <lieu>, par exemple « !chez-moi 69004 », « !chez-moi "
        "Saint-Denis (93) » ou « !chez-moi 12 rue Dumenge, 69004 Lyon ».",
        "en": "Type: !home <place>, for example “!home 69004”, “!home Saint-Denis (93)” or "
        "“!home 12 rue Dumenge, 69004 Lyon”.",
    },
    "alert.usage.hint": {
        "fr": "Écrivez : !alerte <rayon en km>, par exemple « !alerte 20 » ; « !alerte off » "
        "pour arrêter ; « !alerte » seul pour voir votre réglage.",
        "en": "Type: !alert <radius in km>, for example “!alert 20”; “!alert off” to stop; "
        "“!alert” alone to see your setting.",
    },
    # --- Refusals --------------------------------------------------------------------------------
    "search.radius": {
        "fr": "Le rayon doit être un nombre entier de kilomètres, de {min} à {max}, par exemple "
        "« 10 km ».",
        "en": "The radius must be a whole number of kilometres from {min} to {max}, for example "
        "“10 km”.",
    },
    "search.point": {
        "fr": "Ce point n'est pas sur la Terre (latitude {latitude}, longitude {longitude}).",
        "en": "This point is not on Earth (latitude {latitude}, longitude {longitude}).",
    },
    "search.place.missing": {
        "fr": "Il manque le lieu : un code postal, une commune ou une adresse.",
        "en": "The place is missing: a postcode, a commune or an address.",
    },
    "search.place.no_home": {
        "fr": "Où chercher ? Donnez un lieu, ou enregistrez d'abord le vôtre avec !chez-moi "
        "<lieu>.",
        "en": "Where should I search? Give a place, or first save yours with !home <place>.",
    },
    "search.place.unknown": {
        "fr": "Je ne trouve pas de lieu « {place} ».",
        "en": "I cannot find any place “{place}”.",
    },
    "search.place.unknown.suggestions": {
        "fr": "Vouliez-vous dire :",
        "en": "Did you mean:",
    },
    "search.place.ambiguous": {
        "fr": "Plusieurs communes s'appellent « {place} » : précisez le département ou le code "
        "postal, par exemple « {place} (93) ».",
        "en": "Several communes are called “{place}”: add the département or the postcode, for "
        "example “{place} (93)”.",
    },
    "search.place.ambiguous.candidates": {
        "fr": "Laquelle voulez-vous dire :",
        "en": "Which one do you mean:",
    },
    "search.location.no_coordinates": {
        "fr": "📍 Ce partage de position ne contient pas de coordonnées : je ne sais pas où "
        "chercher. Réessayez depuis la carte de votre application, ou tapez un lieu.",
        "en": "📍 This shared location holds no coordinates: I don't know where to search. Try "
        "again from your app's map, or type a place.",
    },
    "search.no_previous": {
        "fr": "Je n'ai pas de recherche précédente de votre part dans ce salon : commencez par "
        "« !autour <lieu> », par exemple « !autour 69004 ».",
        "en": "I have no previous search of yours in this room: start with “!near <place>”, for "
        "example “!near 69004”.",
    },
    "search.no_more": {
        "fr": "Il n'y a pas d'autres résultats. Pour chercher plus loin : « !autour <lieu> 50 "
        "km ».",
        "en": "There are no more results. To search further: “!near <place> 50 km”.",
    },
    "alert.usage": {
        "fr": "Je ne comprends pas « {text} » après !alerte.",
        "en": "I don't understand “{text}” after !alert.",
    },
    "alert.no_home": {
        "fr": "Pour vous prévenir des événements près de chez vous, il me faut votre lieu : "
        "enregistrez-le avec !chez-moi <lieu>, par exemple « !chez-moi 69004 », puis refaites "
        "!alerte.",
        "en": "To tell you about events near your home, I need your place: save it with !home "
        "<place>, for example “!home 69004”, then type !alert again.",
    },
    "discovery.not_verified": {
        "fr": "Il faut d'abord rejoindre la campagne : écrivez « !rejoindre » en message privé "
        "au bot d'accueil{welcome}.",
        "en": "You need to join the campaign first: write “!join” in a private message to the "
        "welcome bot{welcome}.",
    },
    # --- Search results --------------------------------------------------------------------------
    "search.here": {"fr": "votre position", "en": "your location"},
    "search.home": {"fr": "chez vous ({place})", "en": "your home ({place})"},
    "search.events.title": {
        "fr": "📍 Événements à venir à moins de {radius} km de {place} :",
        "en": "📍 Coming events within {radius} km of {place}:",
    },
    "search.events.title_more": {
        "fr": "📍 Suite des événements à moins de {radius} km de {place} :",
        "en": "📍 More events within {radius} km of {place}:",
    },
    "search.events.none": {
        "fr": "Aucun événement à venir à moins de {radius} km de {place}. Cherchez plus loin, "
        "par exemple avec un rayon de 50 km, ou regardez les équipes proches : !equipes-autour.",
        "en": "No coming event within {radius} km of {place}. Search further, for example with "
        "a radius of 50 km, or see the teams nearby: !teams-near.",
    },
    "search.events.rsvp": {
        "fr": "Pour venir : !jyvais <identifiant>.",
        "en": "To come: !going <id>.",
    },
    "search.events.rsvp_team_room": {
        "fr": "Pour venir : !jyvais <identifiant> (pour l'événement d'une autre équipe, "
        "écrivez-le-moi en message privé).",
        "en": "To come: !going <id> (for another team's event, write it to me in a private "
        "message).",
    },
    "search.events.rsvp_command": {"fr": "!jyvais {id}", "en": "!going {id}"},
    "search.teams.title": {
        "fr": "👥 Équipes à moins de {radius} km de {place} :",
        "en": "👥 Teams within {radius} km of {place}:",
    },
    "search.teams.title_more": {
        "fr": "👥 Suite des équipes à moins de {radius} km de {place} :",
        "en": "👥 More teams within {radius} km of {place}:",
    },
    "search.teams.none": {
        "fr": "Aucune équipe à moins de {radius} km de {place}. Créez la vôtre avec le bot "
        "d'accueil : !creer-equipe.",
        "en": "No team within {radius} km of {place}. Create yours with the welcome bot: "
        "!create-team.",
    },
    "search.teams.members.zero": {"fr": "aucun membre", "en": "no members"},
    "search.teams.members.one": {"fr": "1 membre", "en": "1 member"},
    "search.teams.members.many": {"fr": "{count} membres", "en": "{count} members"},
    "search.teams.join": {
        "fr": "Pour rejoindre une équipe : !equipes avec le bot d'accueil.",
        "en": "To join a team: !teams with the welcome bot.",
    },
    "search.more": {
        "fr": "Tapez !plus pour la suite.",
        "en": "Type !more for the next ones.",
    },
    # --- Home and alerts -------------------------------------------------------------------------
    "home.set": {
        "fr": "🏠 C'est noté : chez vous, c'est {place}. « !autour » cherche maintenant autour "
        "de chez vous, et « !alerte 20 » vous prévient des nouveaux événements à moins de 20 km.",
        "en": "🏠 Noted: your home is {place}. “!near” now searches around your home, and "
        "“!alert 20” tells you about new events within 20 km.",
    },
    "alert.set": {
        "fr": "🔔 C'est noté : je vous préviendrai en message privé des nouveaux événements à "
        "moins de {radius} km de chez vous ({place}), {max} par jour au plus. Pour arrêter : "
        "!alerte off.",
        "en": "🔔 Noted: I will tell you in a private message about new events within {radius} "
        "km of your home ({place}), at most {max} a day. To stop: !alert off.",
    },
    "alert.show": {
        "fr": "🔔 Vos alertes : les nouveaux événements à moins de {radius} km de chez vous "
        "({place}), {max} par jour au plus. Pour changer : !alerte <rayon> ; pour arrêter : "
        "!alerte off.",
        "en": "🔔 Your alerts: new events within {radius} km of your home ({place}), at most "
        "{max} a day. To change: !alert <radius>; to stop: !alert off.",
    },
    "alert.none": {
        "fr": "Vous n'avez pas d'alerte. Pour être prévenu·e des nouveaux événements près de "
        "chez vous : « !alerte 20 » (le rayon en km).",
        "en": "You have no alert. To be told about new events near your home: “!alert 20” (the "
        "radius in km).",
    },
    "alert.off": {
        "fr": "🔕 C'est fait : vous ne recevrez plus d'alertes.",
        "en": "🔕 Done: you will get no more alerts.",
    },
    "alert.off_none": {
        "fr": "Vous n'aviez pas d'alerte : rien à arrêter.",
        "en": "You had no alert: nothing to stop.",
    },
    "alert.message.title": {
        "fr": "🔔 Nouvel événement près de chez vous ({distance}) : {title}",
        "en": "🔔 New event near your home ({distance}): {title}",
    },
    "alert.message.team": {"fr": "👥 {team}", "en": "👥 {team}"},
    "alert.message.rsvp": {
        "fr": "Pour venir : !jyvais {id}. Pour arrêter ces alertes : !alerte off.",
        "en": "To come: !going {id}. To stop these alerts: !alert off.",
    },
}
