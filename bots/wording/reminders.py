"""Reminders (reminders bot): personal reminders, snoozing, time zone, preferences, and the
reminders it delivers (personal ones, and those of the events people go to)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- Greeting and help lines -----------------------------------------------------------------
    "reminders.greeting": {
        "fr": "Bonjour ! Je suis le bot des rappels de Ralliement. Dites-moi quand vous rappeler "
        "quoi, par exemple « !rappel demain 9h appeler Marie » ou « !rappel tous les mardis à "
        "19h réunion d'équipe ». Je vous rappelle aussi les événements où vous allez. !aide "
        "montre tout ce que je sais faire.",
        "en": "Hello! I am Ralliement's reminders bot. Tell me when to remind you of what, for "
        "example “!remind tomorrow 9am call Marie” or “!remind every tuesday at 7pm team "
        "meeting”. I also remind you of the events you are going to. !help shows everything I "
        "can do.",
    },
    "help.rappel": {
        "fr": "vous rappelle quelque chose ici, au moment dit (« !rappel demain 9h appeler "
        "Marie ») ; « !rappel annuler <id> » l'annule",
        "en": "reminds you of something here, at the time you say (“!remind tomorrow 9am call "
        "Marie”); “!remind cancel <id>” cancels it",
    },
    "help.rappels": {
        "fr": "vos rappels à venir, avec leurs identifiants",
        "en": "your coming reminders, with their ids",
    },
    "help.plus_tard": {
        "fr": "en réponse à un rappel reçu : me le rappeler plus tard (« !plus-tard 1h », "
        "« !plus-tard demain 9h »)",
        "en": "in reply to a reminder you received: remind me later (“!later 1h”, "
        "“!later tomorrow 9am”)",
    },
    "help.fuseau": {
        "fr": "votre fuseau horaire, pour lire et afficher les heures (« !fuseau "
        "Europe/Paris ») ; seul, il montre le fuseau actuel",
        "en": "your time zone, to read and show times (“!timezone Europe/Paris”); alone, it "
        "shows the current one",
    },
    "help.preferences": {
        "fr": "vos préférences ; « !preferences rappels 24h,1h » (ou off) choisit quand je vous "
        "rappelle les événements où vous allez",
        "en": "your preferences; “!preferences reminders 24h,1h” (or off) chooses when I remind "
        "you of the events you are going to",
    },
    # --- How each command is written, with an example: the last line of a refusal ----------------
    "reminder.usage": {
        "fr": "Écrivez : !rappel <quand> <quoi>, par exemple « !rappel demain 9h appeler "
        "Marie », « !rappel dans 2 heures sortir les tracts », « !rappel lundi prochain 18h "
        "réunion » ou « !rappel tous les mardis à 19h point d'équipe ».",
        "en": "Type: !remind <when> <what>, for example “!remind tomorrow 9am call Marie”, "
        "“!remind in 2 hours fetch the leaflets”, “!remind next monday 6pm meeting” or "
        "“!remind every tuesday at 7pm team call”.",
    },
    "reminder.cancel.usage": {
        "fr": "Écrivez : !rappel annuler <id>, par exemple « !rappel annuler k3f9q2 » ; "
        "!rappels montre vos rappels et leurs identifiants.",
        "en": "Type: !remind cancel <id>, for example “!remind cancel k3f9q2”; !reminders shows "
        "your reminders and their ids.",
    },
    "reminder.snooze.usage": {
        "fr": "Répondez à un rappel reçu avec !plus-tard <durée ou moment>, par exemple "
        "« !plus-tard 1h », « !plus-tard 30 min » ou « !plus-tard demain 9h ».",
        "en": "Reply to a reminder you received with !later <length or time>, for example "
        "“!later 1h”, “!later 30 min” or “!later tomorrow 9am”.",
    },
    "reminder.timezone.usage": {
        "fr": "Écrivez : !fuseau <fuseau horaire>, par exemple « !fuseau Europe/Paris », "
        "« !fuseau America/Cayenne » ou « !fuseau Indian/Reunion ».",
        "en": "Type: !timezone <time zone>, for example “!timezone Europe/Paris”, “!timezone "
        "America/Cayenne” or “!timezone Indian/Reunion”.",
    },
    "reminder.preferences.usage": {
        "fr": "Écrivez : !preferences rappels <délais avant l'événement | off>, par exemple "
        "« !preferences rappels 24h,1h », « !preferences rappels 2h » ou « !preferences "
        "rappels off ».",
        "en": "Type: !preferences reminders <times before the event | off>, for example "
        "“!preferences reminders 24h,1h”, “!preferences reminders 2h” or “!preferences "
        "reminders off”.",
    },
    # --- Refusals --------------------------------------------------------------------------------
    "reminder.empty": {
        "fr": "Il manque le moment et le texte du rappel.",
        "en": "The time and the text of the reminder are missing.",
    },
    "reminder.when_missing": {
        "fr": "Je ne trouve pas quand vous le rappeler dans « {text} ».",
        "en": "I can't find when to remind you in “{text}”.",
    },
    "reminder.past": {
        "fr": "« {when} » est déjà passé : choisissez un moment à venir.",
        "en": "“{when}” is already past: choose a time to come.",
    },
    "reminder.text_missing": {
        "fr": "Il manque ce que je dois vous rappeler {when}.",
        "en": "What should I remind you of {when}? It is missing.",
    },
    "reminder.text_too_long": {
        "fr": "Ce rappel est trop long : {max} caractères au plus.",
        "en": "This reminder is too long: {max} characters at most.",
    },
    "reminder.too_many": {
        "fr": "Vous avez déjà {max} rappels prévus : annulez-en (!rappels pour les voir) avant "
        "d'en ajouter.",
        "en": "You already have {max} reminders to come: cancel some (!reminders shows them) "
        "before adding more.",
    },
    "reminder.not_found": {
        "fr": "Je ne trouve aucun rappel « {id} » à venir à votre nom.",
        "en": "I can't find any reminder “{id}” of yours still to come.",
    },
    "reminder.cancel.id_missing": {
        "fr": "Il manque l'identifiant du rappel à annuler.",
        "en": "The id of the reminder to cancel is missing.",
    },
    "reminder.snooze.missing": {
        "fr": "Il manque dans combien de temps vous le rappeler.",
        "en": "How long from now to remind you is missing.",
    },
    "reminder.snooze.unknown": {
        "fr": "Je ne comprends pas « {text} » comme durée ou comme moment.",
        "en": "I don't understand “{text}” as a length or a time.",
    },
    "reminder.snooze.not_a_reply": {
        "fr": "!plus-tard se tape en réponse au rappel à repousser.",
        "en": "!later is typed in reply to the reminder to put off.",
    },
    "reminder.snooze.not_a_reminder": {
        "fr": "Le message auquel vous répondez n'est pas un de mes rappels.",
        "en": "The message you reply to is not one of my reminders.",
    },
    "reminder.snooze.not_yours": {
        "fr": "Ce rappel ne vous était pas destiné : posez le vôtre avec !rappel.",
        "en": "That reminder was not for you: set your own with !remind.",
    },
    "reminder.timezone.invalid": {
        "fr": "Je ne connais pas le fuseau horaire « {text} » (il s'écrit Continent/Ville, en "
        "anglais).",
        "en": "I don't know the time zone “{text}” (it is written Continent/City).",
    },
    "reminder.timezone.invalid.suggestions": {
        "fr": "Vouliez-vous dire :",
        "en": "Did you mean:",
    },
    "reminder.offsets.invalid": {
        "fr": "Je ne comprends pas « {text} » comme délais avant un événement : de une à cinq "
        "durées de 5 minutes à 14 jours, séparées par des virgules, ou « off » pour aucun "
        "rappel.",
        "en": "I don't understand “{text}” as times before an event: one to five lengths from 5 "
        "minutes to 14 days, separated by commas, or “off” for no reminders.",
    },
    "reminder.preferences.unknown": {
        "fr": "Je ne connais pas la préférence « {text} ».",
        "en": "I don't know the preference “{text}”.",
    },
    # --- Answers ---------------------------------------------------------------------------------
    "reminder.created": {
        "fr": "⏰ C'est noté : {when} ({delay}), je vous rappellerai « {text} ».",
        "en": "⏰ Noted: {when} ({delay}), I will remind you of “{text}”.",
    },
    "reminder.created.recurring": {
        "fr": "⏰ C'est noté : je vous rappellerai « {text} » {rule}, la première fois {when} "
        "({delay}).",
        "en": "⏰ Noted: I will remind you of “{text}” {rule}, the first time {when} ({delay}).",
    },
    "reminder.created.id": {
        "fr": "Identifiant {id} ; pour l'annuler : !rappel annuler {id}",
        "en": "Id {id}; to cancel it: !remind cancel {id}",
    },
    "reminder.zone": {
        "fr": "heure de {zone}",
        "en": "{zone} time",
    },
    "reminder.list.empty": {
        "fr": "Vous n'avez aucun rappel à venir. Par exemple : « !rappel demain 9h appeler "
        "Marie ».",
        "en": "You have no reminders to come. For example: “!remind tomorrow 9am call Marie”.",
    },
    "reminder.list.header.one": {
        "fr": "Votre rappel à venir :",
        "en": "Your reminder to come:",
    },
    "reminder.list.header.many": {
        "fr": "Vos {count} rappels à venir :",
        "en": "Your {count} reminders to come:",
    },
    "reminder.list.footer": {
        "fr": "Pour en annuler un : !rappel annuler <id>.",
        "en": "To cancel one: !remind cancel <id>.",
    },
    "reminder.list.more": {
        "fr": "… et {count} autres.",
        "en": "… and {count} more.",
    },
    "reminder.cancelled": {
        "fr": "🗑️ Rappel {id} annulé : « {text} ».",
        "en": "🗑️ Reminder {id} cancelled: “{text}”.",
    },
    "reminder.cancelled.recurring": {
        "fr": "🗑️ Rappel {id} annulé ({rule}) : « {text} ».",
        "en": "🗑️ Reminder {id} cancelled ({rule}): “{text}”.",
    },
    "reminder.snoozed": {
        "fr": "⏰ D'accord, je vous le rappelle {when} ({delay}). Identifiant {id}.",
        "en": "⏰ All right, I will remind you {when} ({delay}). Id {id}.",
    },
    "reminder.timezone.shown": {
        "fr": "🌍 Votre fuseau horaire : {zone} (il y est {time}).",
        "en": "🌍 Your time zone: {zone} (it is {time} there).",
    },
    "reminder.timezone.default": {
        "fr": "C'est celui de la campagne ; pour en choisir un autre : « !fuseau "
        "America/Cayenne », par exemple.",
        "en": "It is the campaign's; to choose another: “!timezone America/Cayenne”, for example.",
    },
    "reminder.timezone.set": {
        "fr": "🌍 Fuseau horaire enregistré : {zone} (il y est {time}). Je lirai et montrerai "
        "les heures de vos prochains rappels dans ce fuseau ; ceux déjà prévus gardent leur "
        "heure.",
        "en": "🌍 Time zone saved: {zone} (it is {time} there). I will read and show the times "
        "of your next reminders in it; those already set keep their time.",
    },
    "reminder.preferences.shown": {
        "fr": "Vos préférences :\n• rappels des événements où vous allez : {offsets}\n• fuseau "
        "horaire : {zone}\nPour les changer : « !preferences rappels 24h,1h » (ou off), "
        "« !fuseau Europe/Paris ».",
        "en": "Your preferences:\n• reminders of the events you are going to: {offsets}\n• time "
        "zone: {zone}\nTo change them: “!preferences reminders 24h,1h” (or off), “!timezone "
        "Europe/Paris”.",
    },
    "reminder.preferences.set": {
        "fr": "✅ Je vous rappellerai les événements où vous allez {offsets}.",
        "en": "✅ I will remind you of the events you are going to {offsets}.",
    },
    "reminder.preferences.off": {
        "fr": "🔕 Je ne vous rappellerai plus les événements où vous allez. Pour y revenir : "
        "« !preferences rappels 24h,1h ».",
        "en": "🔕 I will no longer remind you of the events you are going to. To go back: "
        "“!preferences reminders 24h,1h”.",
    },
    "reminder.offsets.before": {
        "fr": "{offsets} avant",
        "en": "{offsets} before",
    },
    "reminder.offsets.none": {
        "fr": "aucun (off)",
        "en": "none (off)",
    },
    "reminder.default": {
        "fr": "{value} (par défaut)",
        "en": "{value} (default)",
    },
    # --- Delivered reminders ---------------------------------------------------------------------
    "reminder.message": {
        "fr": "⏰ Rappel : {text}",
        "en": "⏰ Reminder: {text}",
    },
    "reminder.message.for": {
        "fr": "⏰ Rappel pour {user} : {text}",
        "en": "⏰ Reminder for {user}: {text}",
    },
    "reminder.message.late": {
        "fr": "(en retard : le bot était arrêté)",
        "en": "(late: the bot was stopped)",
    },
    "reminder.message.snooze": {
        "fr": "Répondez « !plus-tard 1h » pour que je vous le rappelle plus tard.",
        "en": "Reply “!later 1h” and I will remind you again later.",
    },
    "reminder.event.attendee": {
        "fr": "⏰ Rappel : « {title} » commence {delay}.",
        "en": "⏰ Reminder: “{title}” starts {delay}.",
    },
    "reminder.event.room": {
        "fr": "⏰ « {title} » commence {delay}.",
        "en": "⏰ “{title}” starts {delay}.",
    },
    "reminder.event.when": {
        "fr": "📅 {when}",
        "en": "📅 {when}",
    },
    "reminder.event.where": {
        "fr": "📍 {place}",
        "en": "📍 {place}",
    },
    "reminder.event.report": {
        "fr": "📝 « {title} » ({when}) est passé : pensez à en poster le compte rendu "
        "(participants, photos, retours) dans le salon de l'équipe {team}.",
        "en": "📝 “{title}” ({when}) is over: remember to post its report (turnout, photos, "
        "feedback) in the room of the team {team}.",
    },
    # --- Lengths and repetitions in words --------------------------------------------------------
    "reminder.in": {"fr": "dans {length}", "en": "in {length}"},
    "reminder.now": {"fr": "maintenant", "en": "now"},
    "reminder.length.minutes": {"fr": "{count} min", "en": "{count} min"},
    "reminder.length.hours": {"fr": "{count} h", "en": "{count} h"},
    "reminder.length.hours_minutes": {
        "fr": "{count} h {minutes:02d}",
        "en": "{count} h {minutes:02d}",
    },
    "reminder.length.days.one": {"fr": "1 jour", "en": "1 day"},
    "reminder.length.days.many": {"fr": "{count} jours", "en": "{count} days"},
    "reminder.and": {"fr": " et ", "en": " and "},
    "reminder.rule.daily": {"fr": "tous les jours", "en": "every day"},
    "reminder.rule.days": {"fr": "tous les {count} jours", "en": "every {count} days"},
    "reminder.rule.weekly": {"fr": "toutes les semaines", "en": "every week"},
    "reminder.rule.weekdays": {"fr": "tous les {days}", "en": "every {days}"},
    "reminder.rule.other_week": {"fr": "un {days} sur deux", "en": "every other {days}"},
    "reminder.rule.weeks": {
        "fr": "toutes les {count} semaines, le {days}",
        "en": "every {count} weeks on {days}",
    },
    "reminder.rule.monthly": {"fr": "tous les mois", "en": "every month"},
    "reminder.rule.month_day": {"fr": "tous les mois le {day}", "en": "monthly on the {day}"},
    "reminder.rule.months": {
        "fr": "tous les {count} mois le {day}",
        "en": "every {count} months on the {day}",
    },
    "reminder.rule.at": {"fr": "{rule} à {time}", "en": "{rule} at {time}"},
}
