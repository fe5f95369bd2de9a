"""Supporters: the refusals of :mod:`bridge.domain.supporters` as a supporter reads them, and
what an erasure removed: one line per kind of ``ErasureReport.erased()`` whose count is not zero,
through ``translate_count("supporter.erased.<kind>", count)``."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- Refusals of the domain, with their parameters ----------------------------------------
    "supporter.email.invalid": {
        "fr": "« {email} » n'est pas une adresse e-mail. Écrivez-la seule, par exemple "
        "prenom.nom@exemple.fr.",
        "en": "“{email}” is not an email address. Type it alone, for example "
        "first.last@example.com.",
    },
    "supporter.postcode.invalid": {
        "fr": "« {postcode} » n'est pas un code postal : il en faut les 5 chiffres, par exemple "
        "69003.",
        "en": "“{postcode}” is not a postcode: it takes the 5 digits, for example 69003.",
    },
    "supporter.name.length": {
        "fr": "Ce nom est trop long : {max} caractères au plus.",
        "en": "This name is too long: {max} characters at most.",
    },
    # Says nothing about any address but the one typed.
    "supporter.unknown": {
        "fr": "Je ne trouve pas {email} dans la liste des soutiens de la campagne. Vérifiez "
        "l'adresse, ou signez d'abord sur le site de la campagne avec elle, puis revenez ici.",
        "en": "I can't find {email} in the campaign's list of supporters. Check the address, or "
        "sign up on the campaign's website with it first, then come back here.",
    },
    "supporter.linked_elsewhere": {
        "fr": "Cette adresse est déjà reliée à un autre compte Matrix. Si c'est une erreur, "
        "contactez les administrateurs de la campagne : ils pourront vous aider.",
        "en": "This address is already linked to another Matrix account. If this is a mistake, "
        "contact the campaign's administrators: they can help.",
    },
    # Does not say which address: !moi shows it to the account's owner.
    "supporter.already_linked": {
        "fr": "Votre compte est déjà relié à une adresse ; tapez !moi pour la voir.",
        "en": "Your account is already linked to an address; type !me to see it.",
    },
    "supporter.not_linked": {
        "fr": "Votre compte n'est encore relié à aucun soutien : tapez !rejoindre pour commencer.",
        "en": "Your account is not linked to any supporter yet: type !join to begin.",
    },
    "supporter.not_found": {
        "fr": "La campagne n'a aucune donnée sur {who}.",
        "en": "The campaign holds no data about {who}.",
    },
    "supporter.language.invalid": {
        "fr": "Je ne parle pas « {language} » : choisissez parmi {languages}.",
        "en": "I don't speak “{language}”: choose from {languages}.",
    },
    # --- What an erasure removed (ErasureReport.erased) ---------------------------------------
    "supporter.erased.supporter.one": {
        "fr": "votre adresse, votre nom, votre code postal, votre lieu et votre langue",
        "en": "your address, name, postcode, place and language",
    },
    "supporter.erased.team_memberships.one": {
        "fr": "votre place dans 1 équipe",
        "en": "your place in 1 team",
    },
    "supporter.erased.team_memberships.many": {
        "fr": "votre place dans {count} équipes",
        "en": "your place in {count} teams",
    },
    "supporter.erased.rsvps.one": {
        "fr": "1 inscription à une action",
        "en": "1 RSVP to an event",
    },
    "supporter.erased.rsvps.many": {
        "fr": "{count} inscriptions à des actions",
        "en": "{count} RSVPs to events",
    },
    "supporter.erased.email_codes.one": {
        "fr": "1 code de vérification en attente",
        "en": "1 pending verification code",
    },
    "supporter.erased.email_codes.many": {
        "fr": "{count} codes de vérification en attente",
        "en": "{count} pending verification codes",
    },
    "supporter.erased.email_sent.one": {
        "fr": "la trace d'1 code envoyé",
        "en": "the record of 1 code sent",
    },
    "supporter.erased.email_sent.many": {
        "fr": "la trace de {count} codes envoyés",
        "en": "the record of {count} codes sent",
    },
    "supporter.erased.joining.one": {
        "fr": "votre démarche d'inscription en cours",
        "en": "your joining conversation in progress",
    },
    "supporter.erased.alert_subscription.one": {
        "fr": "votre abonnement aux alertes près de chez vous",
        "en": "your subscription to alerts near home",
    },
    "supporter.erased.alert_delivery.one": {
        "fr": "la trace d'1 alerte",
        "en": "the record of 1 alert",
    },
    "supporter.erased.alert_delivery.many": {
        "fr": "la trace de {count} alertes",
        "en": "the record of {count} alerts",
    },
    "supporter.erased.search_page.one": {
        "fr": "votre dernière recherche",
        "en": "your last search",
    },
    "supporter.erased.search_page.many": {
        "fr": "vos {count} dernières recherches",
        "en": "your {count} last searches",
    },
    "supporter.erased.direct_room.one": {
        "fr": "le lien vers 1 conversation avec un bot",
        "en": "the link to 1 conversation with a bot",
    },
    "supporter.erased.direct_room.many": {
        "fr": "les liens vers {count} conversations avec les bots",
        "en": "the links to {count} conversations with the bots",
    },
    "supporter.erased.reminder.one": {
        "fr": "1 rappel",
        "en": "1 reminder",
    },
    "supporter.erased.reminder.many": {
        "fr": "{count} rappels",
        "en": "{count} reminders",
    },
    "supporter.erased.reminder_settings.one": {
        "fr": "vos réglages de rappels (fuseau, délais)",
        "en": "your reminder settings (time zone, offsets)",
    },
    "supporter.erased.nothing": {
        "fr": "La campagne n'avait aucune donnée sur vous.",
        "en": "The campaign held no data about you.",
    },
}
