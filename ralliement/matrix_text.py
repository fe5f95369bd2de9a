"""Reading what people write in Matrix messages, for the bots' commands and the moderation
alike: the quote of a replied-to message, and the user a pill links to."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

_USER_ID = re.compile(r"@[^\s:]+:[^\s]+")


def strip_reply_fallback(body: str) -> str:
    """The body of a reply without the quote of the replied-to message that some clients put
    first ("> <@bot:hs> …" lines, then a blank line); a body that is only quote lines is kept;
    see https://spec.matrix.org/v1.13/client-server-api/#fallbacks-for-rich-replies."""
    lines = body.split("\n")
    if not lines or not lines[0].startswith("> "):
        return body
    for index, line in enumerate(lines):
        if not line.startswith(">"):
            return "\n".join(lines[index + 1 :] if line == "" else lines[index:])
    return body


def user_of_link(href: str) -> str | None:
    """The user a pill links to: ``https://matrix.to/#/@bob:example.org`` (percent-encoded or
    not) or ``matrix:u/bob:example.org``; None for any other link.

    https://spec.matrix.org/v1.16/appendices/#uris
    """
    href = href.strip()
    if href.startswith("matrix:u/"):
        candidate = "@" + unquote(href[len("matrix:u/") :].split("?", 1)[0])
    else:
        parts = urlsplit(href)
        if parts.netloc != "matrix.to":
            return None
        candidate = unquote(parts.fragment.lstrip("/").split("?", 1)[0])
    return candidate if _USER_ID.fullmatch(candidate) else None
