"""Email verification codes: the domain's refusals (bridge.domain.verification).

The mail carrying the code is worded in :mod:`ralliement.mail.texts`: the domain sends it.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "verification.invalid_email": {
        "fr": "Cela ne ressemble pas à une adresse email (par exemple prenom@exemple.fr).",
        "en": "That does not look like an email address (for example name@example.org).",
    },
    "verification.rate_limited": {
        "fr": "Trop de codes ont été demandés pour vous ou pour cette adresse. Vous pourrez en "
        "demander un nouveau dans {minutes} min.",
        "en": "Too many codes were asked for you or for this address. You can ask for a new one "
        "in {minutes} min.",
    },
    "verification.send_failed": {
        "fr": "Je n'arrive pas à envoyer l'email pour le moment. Réessayez dans quelques minutes ; "
        "si cela continue, prévenez l'équipe de campagne.",
        "en": "I cannot send the email right now. Try again in a few minutes; if it keeps "
        "failing, tell the campaign team.",
    },
    "verification.none_pending": {
        "fr": "Aucun code n'est en attente pour vous : demandez-en un en donnant votre adresse "
        "email.",
        "en": "No code is waiting for you: ask for one by giving your email address.",
    },
    "verification.expired": {
        "fr": "Ce code a expiré. Demandez-en un nouveau.",
        "en": "This code has expired. Ask for a new one.",
    },
    "verification.code_format": {
        "fr": "Un code a {digits} chiffres, par exemple 123456.",
        "en": "A code has {digits} digits, for example 123456.",
    },
    "verification.wrong_code": {
        "fr": "Ce n'est pas le bon code. Essais restants : {attempts_left}.",
        "en": "That is not the right code. Tries left: {attempts_left}.",
    },
    "verification.too_many_attempts": {
        "fr": "Trop d'essais : ce code ne marche plus. Demandez-en un nouveau.",
        "en": "Too many tries: this code no longer works. Ask for a new one.",
    },
}
