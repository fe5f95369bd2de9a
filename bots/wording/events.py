"""Events: commands in team rooms, announcements, and their refusals."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
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
        "fr": "Il me faut au moins un titre, une date avec l'heure et un lieu, séparés par « | ».",
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
        "fr": "Il me faut l'identifiant de l'événement, le champ à changer et sa nouvelle valeur.",
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
        "fr": "{taken} places sont déjà prises : il ne peut pas y en avoir seulement {capacity}.",
        "en": "{taken} seats are already taken: there cannot be only {capacity}.",
    },
    "event.not_found": {
        "fr": "Je ne trouve pas d'événement « {event} ». Tapez !agenda pour voir les identifiants.",
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
