"""What a message is made of, as the protections see it: its texts, whether it is only links
or media, and whom it mentions.

Messages come as their (decrypted) ``content``; an edit is judged on its new content
(``m.new_content``). The quote of the replied-to message that some clients put in a reply
(https://spec.matrix.org/v1.13/client-server-api/#fallbacks-for-rich-replies) is not the
sender's text and is left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from ralliement.matrix_text import strip_reply_fallback, user_of_link

from .words import fold

#: Message types that are media (https://spec.matrix.org/v1.13/client-server-api/#mroommessage-msgtypes).
MEDIA_MSGTYPES = frozenset({"m.image", "m.video", "m.file", "m.audio"})
#: A sticker is its own event type.
STICKER = "m.sticker"
#: How much of a message the admin room is shown.
EXCERPT_CHARS = 200
#: Display names shorter than this are not looked for in the text (too many false mentions).
MIN_NAME_CHARS = 3

_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}"
    r"(?:/\S*)?",
    re.IGNORECASE,
)
_USER_ID = re.compile(r"@[a-z0-9._=/+-]+:[a-z0-9.-]+(?::\d+)?", re.IGNORECASE)
_ROOM_MENTION = re.compile(r"(?<![\w@])@room\b")


class _HtmlReader(HTMLParser):
    """The text and the links of an HTML body, without the reply quote (``<mx-reply>``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._in_reply = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mx-reply":
            self._in_reply += 1
        elif self._in_reply:
            return
        elif tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        elif tag in ("br", "p", "div", "li", "tr", "blockquote"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "mx-reply" and self._in_reply:
            self._in_reply -= 1

    def handle_data(self, data: str) -> None:
        if not self._in_reply:
            self.parts.append(data)


def _read_html(content: Mapping[str, Any]) -> _HtmlReader | None:
    html = content.get("formatted_body")
    if not isinstance(html, str) or content.get("format") != "org.matrix.custom.html":
        return None
    reader = _HtmlReader()
    reader.feed(html)
    reader.close()
    return reader


def _body(content: Mapping[str, Any]) -> str:
    body = content.get("body")
    return strip_reply_fallback(body) if isinstance(body, str) else ""


def current_content(content: Mapping[str, Any]) -> Mapping[str, Any]:
    """What the message says now: an edit's ``m.new_content``, else the content itself."""
    new = content.get("m.new_content")
    return new if isinstance(new, Mapping) else content


def message_texts(content: Mapping[str, Any]) -> list[str]:
    """Every text of a message: its body, its HTML body as text, a media's caption and file
    name; for an edit, those of the new content as well."""
    texts: list[str] = []
    parts = [content]
    if (new := current_content(content)) is not content:
        parts.append(new)
    for part in parts:
        texts.append(_body(part))
        reader = _read_html(part)
        if reader is not None:
            texts.append("".join(reader.parts))
        filename = part.get("filename")
        if isinstance(filename, str):
            texts.append(filename)
    return [text for text in texts if text.strip()]


def excerpt(content: Mapping[str, Any], limit: int = EXCERPT_CHARS) -> str:
    """What the message says, as plain text, cut at ``limit`` characters (with "…")."""
    current = current_content(content)
    text = _body(current).strip()
    if not text:
        reader = _read_html(current)
        text = "".join(reader.parts).strip() if reader is not None else ""
    if not text and isinstance(current.get("filename"), str):
        text = str(current["filename"])
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def is_only_links_or_media(event_type: str, content: Mapping[str, Any]) -> bool:
    """Whether a message is a sticker or a media (image, video, file, audio), or text made of
    one or more links and nothing else (spaces and punctuation aside)."""
    if event_type == STICKER:
        return True
    current = current_content(content)
    msgtype = current.get("msgtype")
    if isinstance(msgtype, str) and msgtype in MEDIA_MSGTYPES:
        return True
    body = _body(current)
    if not _URL.search(body):
        return False
    rest = _URL.sub(" ", body)
    return not any(c.isalnum() for c in rest)


@dataclass(frozen=True)
class Mentions:
    """Whom a message mentions.

    Attributes:
        users: the people mentioned (never the sender).
        room: the whole room (``@room``).
    """

    users: frozenset[str]
    room: bool

    def __len__(self) -> int:
        return len(self.users)


def mentions(content: Mapping[str, Any], *, sender: str, names: Mapping[str, str]) -> Mentions:
    """The people and rooms a message mentions: ``m.mentions``, pills in its HTML body, user
    IDs typed in its text, and members named by their display name in its text (as the
    homeserver's display-name notification rule finds them: whole words, any case).

    Args:
        content: the message's content.
        sender: its author (not counted).
        names: the display names of the room's members, by user ID.
    """
    current = current_content(content)
    users: set[str] = set()
    declared = current.get("m.mentions")
    room = False
    if isinstance(declared, Mapping):
        ids = declared.get("user_ids")
        if isinstance(ids, list):
            users.update(i for i in ids if isinstance(i, str))
        room = declared.get("room") is True
    reader = _read_html(current)
    texts = [_body(current)]
    if reader is not None:
        users.update(filter(None, map(user_of_link, reader.links)))
        texts.append("".join(reader.parts))
    for text in texts:
        users.update(_USER_ID.findall(text))
        room = room or _ROOM_MENTION.search(text) is not None
    folded = fold("\n".join(texts))
    for user_id, name in names.items():
        folded_name = fold(name.strip())
        if len(folded_name) < MIN_NAME_CHARS or user_id in users:
            continue
        if re.search(rf"(?<!\w){re.escape(folded_name)}(?!\w)", folded):
            users.add(user_id)
    users.discard(sender)
    return Mentions(frozenset(users), room)
