"""Dates and times the parser (ralliement.when) could not read."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
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
}
