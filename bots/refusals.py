"""Refusals as a user reads them: :func:`refusal` turns any :class:`DomainError` into a reply."""

from __future__ import annotations

import logging
import re
from html import escape

from bridge.domain.errors import DomainError
from bridge.domain.roles import Role
from ralliement.geo.gazetteer import gazetteer

from .commands import Reply
from .i18n import MESSAGES, Language, role_name, translate

log = logging.getLogger("bots.refusals")

# "Saint-Denis (93200)": a place as the domain lists it, with its postcode.
_PLACE_WITH_POSTCODE = re.compile(r".*\((\d{5})\)")


def refusal(error: DomainError, language: Language, *, hint: str | None = None) -> Reply:
    """The reply to a refused request, in ``language``.

    Scalar parameters fill the sentence of ``error.key`` (a ``role`` is written in words); each
    non-empty list parameter (``suggestions``, ``candidates``) follows as a bulleted list, led by
    the sentence ``<key>.<parameter>``, each place with its département's name.

    Args:
        error: the refusal.
        language: the reader's language.
        hint: the key of a last sentence, e.g. the command's usage with an example.
    """
    if error.key not in MESSAGES:
        log.error("No wording for the refusal %r", error)
        return Reply(translate("command.failed", language))
    values: dict[str, object] = {}
    lists: dict[str, list[str]] = {}
    for name, value in error.params.items():
        if isinstance(value, list | tuple):
            lists[name] = [_with_departement(str(item)) for item in value]
        elif name == "role":
            values[name] = role_name(Role(value), language)
        else:
            values[name] = value
    sentence = translate(error.key, language, **values)
    body, html = [sentence], [f"<p>{escape(sentence)}</p>"]
    for name, items in lists.items():
        if not items:
            continue
        lead_key = f"{error.key}.{name}"
        if lead_key in MESSAGES:
            lead = translate(lead_key, language)
            body.append(lead)
            html.append(f"<p>{escape(lead)}</p>")
        body.extend(f"• {item}" for item in items)
        html.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>")
    if hint is not None:
        tail = translate(hint, language)
        body.append(tail)
        html.append(f"<p>{escape(tail)}</p>")
    return Reply("\n".join(body), "".join(html))


def _with_departement(place: str) -> str:
    """ "Saint-Denis (93200)" → "Saint-Denis (93200) — Seine-Saint-Denis"; other text as is."""
    match = _PLACE_WITH_POSTCODE.fullmatch(place)
    if match is None:
        return place
    places = gazetteer()
    code = places.departement_of_postcode(match[1])
    name = places.departement_name(code) if code else None
    return f"{place} — {name}" if name else place
