"""The verification mail, in French (default) and English.

It lives here rather than in :mod:`bots.wording` because the domain sends it
(:mod:`bridge.domain.verification`), and the domain does not depend on the bots.
"""

from __future__ import annotations

_SUBJECT = {
    "fr": "Votre code de vérification : {code}",
    "en": "Your verification code: {code}",
}

_TEXT = {
    "fr": (
        "Bonjour,\n"
        "\n"
        "Voici votre code de vérification :\n"
        "\n"
        "    {code}\n"
        "\n"
        "Envoyez-le au robot d'accueil dans votre discussion Matrix (par exemple dans Element). "
        "Il est valable {minutes} minutes.\n"
        "\n"
        "Si vous n'avez rien demandé, ignorez ce message : sans ce code, personne ne peut "
        "utiliser votre adresse.\n"
    ),
    "en": (
        "Hello,\n"
        "\n"
        "Here is your verification code:\n"
        "\n"
        "    {code}\n"
        "\n"
        "Send it to the welcome bot in your Matrix chat (for example in Element). "
        "It is valid for {minutes} minutes.\n"
        "\n"
        "If you did not ask for it, ignore this message: without this code, nobody can use "
        "your address.\n"
    ),
}


def code_mail(code: str, minutes: int, language: str) -> tuple[str, str]:
    """The subject and plain text of the mail carrying ``code``, in ``language`` (French when
    it is neither "fr" nor "en")."""
    lang = language if language in _TEXT else "fr"
    return _SUBJECT[lang].format(code=code), _TEXT[lang].format(code=code, minutes=minutes)
