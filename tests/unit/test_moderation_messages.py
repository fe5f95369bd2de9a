"""What the protections read in a message: its texts, whether it is only links or media, whom
it mentions."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bridge.domain.moderation.messages import (
    excerpt,
    is_only_links_or_media,
    mentions,
    message_texts,
)
from ralliement.matrix_text import strip_reply_fallback

HTML = "org.matrix.custom.html"


def text(body: str, **extra: Any) -> dict[str, Any]:
    return {"msgtype": "m.text", "body": body, **extra}


def pill(user_id: str, name: str) -> str:
    return f'<a href="https://matrix.to/#/{user_id}">{name}</a>'


# --- Texts ---------------------------------------------------------------------------------


def test_texts_of_a_message_with_html_and_a_reply_quote() -> None:
    content = text(
        "> <@bob:hs> connard\n\nje ne suis pas d'accord",
        format=HTML,
        formatted_body="<mx-reply><blockquote>connard</blockquote></mx-reply>je ne suis "
        "<b>pas</b> d'accord",
    )
    assert message_texts(content) == ["je ne suis pas d'accord", "je ne suis pas d'accord"]


def test_texts_of_an_image_caption_and_file_name() -> None:
    content = {"msgtype": "m.image", "body": "regardez ça", "filename": "tract.png"}
    assert message_texts(content) == ["regardez ça", "tract.png"]


def test_texts_of_an_edit_include_the_new_content() -> None:
    content = text(
        "* bonjour à tous",
        **{
            "m.new_content": {"msgtype": "m.text", "body": "bonjour à tous, bande de nazes"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": "$original"},
        },
    )
    assert message_texts(content) == ["* bonjour à tous", "bonjour à tous, bande de nazes"]


def test_reply_fallback_removed_only_when_quoting() -> None:
    assert strip_reply_fallback("> <@a:hs> salut\n> ça va\n\nmerci") == "merci"
    assert strip_reply_fallback(">pas une citation") == ">pas une citation"
    assert strip_reply_fallback("bonjour") == "bonjour"


def test_excerpt_cut_at_200_characters() -> None:
    assert excerpt(text("court")) == "court"
    long = excerpt(text("a" * 500))
    assert len(long) == 200 and long.endswith("…")
    assert excerpt({"msgtype": "m.file", "body": "", "filename": "x.pdf"}) == "x.pdf"
    edit = text("* old", **{"m.new_content": text("nouveau texte")})
    assert excerpt(edit) == "nouveau texte"


# --- Only links or media ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        text("https://arnaque.example.com/promo"),
        text("  https://a.example.org  http://b.example.org/x?y=1 "),
        text("www.casino-en-ligne.fr"),
        text("bit.ly/abc123"),
        text("👉 https://spam.example.com 👈"),
        {"msgtype": "m.image", "body": "image.png", "url": "mxc://hs/abc"},
        {"msgtype": "m.video", "body": "video.mp4"},
        {"msgtype": "m.file", "body": "tract.pdf"},
        {"msgtype": "m.audio", "body": "voice.ogg"},
    ],
)
def test_only_links_or_media(content: dict[str, Any]) -> None:
    assert is_only_links_or_media("m.room.message", content)


@pytest.mark.parametrize(
    "content",
    [
        text("Bonjour, voici le tract : https://ralliement.example.org/tract.pdf"),
        text("Bonjour à tous !"),
        text("rendez-vous à 18h"),
        text(""),
        {"msgtype": "m.notice", "body": "Salut l'équipe"},
        {"msgtype": "m.location", "body": "Place Bellecour", "geo_uri": "geo:45.7,4.8"},
    ],
)
def test_not_only_links_or_media(content: dict[str, Any]) -> None:
    assert not is_only_links_or_media("m.room.message", content)


def test_sticker_is_media() -> None:
    assert is_only_links_or_media("m.sticker", {"body": "chat", "url": "mxc://hs/cat"})


def test_reply_quote_is_not_the_message() -> None:
    quoted = text("> <@bob:hs> https://x.example.org\n\nmerci pour le lien")
    assert not is_only_links_or_media("m.room.message", quoted)


# --- Mentions ------------------------------------------------------------------------------


def test_mentions_from_m_mentions_pills_and_typed_ids() -> None:
    content = text(
        "Alice, Bob et @carol:hs",
        format=HTML,
        formatted_body=f"{pill('@alice:hs', 'Alice')}, {pill('@bob:hs', 'Bob')} et @carol:hs",
        **{"m.mentions": {"user_ids": ["@alice:hs", "@dave:hs"]}},
    )
    found = mentions(content, sender="@eve:hs", names={})
    assert found.users == {"@alice:hs", "@bob:hs", "@carol:hs", "@dave:hs"}
    assert len(found) == 4 and not found.room


def test_sender_is_not_counted() -> None:
    content = text("moi", **{"m.mentions": {"user_ids": ["@eve:hs"]}})
    assert len(mentions(content, sender="@eve:hs", names={})) == 0


def test_room_mention() -> None:
    assert mentions(text("@room réunion ce soir"), sender="@e:hs", names={}).room
    assert mentions(text("x", **{"m.mentions": {"room": True}}), sender="@e:hs", names={}).room
    assert not mentions(text("le @roomba"), sender="@e:hs", names={}).room
    assert not mentions(text("mail@room.fr"), sender="@e:hs", names={}).room


def test_display_names_named_in_the_text_count_as_mentions() -> None:
    names = {
        "@a:hs": "Amélie Poulain",
        "@b:hs": "Bruno",
        "@c:hs": "Jo",  # too short to be looked for
        "@d:hs": "Denis",
        "@e:hs": "Eve",
    }
    body = "amelie poulain BRUNO jo denis-la-malice Denisette"
    found = mentions(text(body), sender="@e:hs", names=names)
    assert found.users == {"@a:hs", "@b:hs", "@d:hs"}


def test_pills_inside_a_reply_quote_are_not_mentions() -> None:
    content = text(
        "> <@bob:hs> salut\n\nok",
        format=HTML,
        formatted_body=f"<mx-reply>{pill('@bob:hs', 'Bob')} salut</mx-reply>ok",
    )
    assert len(mentions(content, sender="@e:hs", names={})) == 0


def test_matrix_uri_pill() -> None:
    content = text("x", format=HTML, formatted_body='<a href="matrix:u/bob:hs">Bob</a>')
    assert mentions(content, sender="@e:hs", names={}).users == {"@bob:hs"}


# --- Never raises ----------------------------------------------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children),
    max_leaves=10,
)


@given(
    st.dictionaries(
        st.sampled_from(
            ["body", "formatted_body", "format", "msgtype", "m.mentions", "m.new_content"]
        ),
        _JSON,
    ),
    st.text(),
)
def test_never_raises_on_any_content(content: dict[str, Any], name: str) -> None:
    message_texts(content)
    excerpt(content)
    is_only_links_or_media("m.room.message", content)
    mentions(content, sender="@e:hs", names={"@a:hs": name})


@given(st.text(), st.text())
def test_never_raises_on_any_text(body: str, html: str) -> None:
    content = text(body, format=HTML, formatted_body=html)
    message_texts(content)
    is_only_links_or_media("m.room.message", content)
    mentions(content, sender="@e:hs", names={"@a:hs": body[:10]})
