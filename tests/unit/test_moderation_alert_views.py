"""What moderators read in the admin room: each kind of alert, in French and English."""

from __future__ import annotations

import pytest

from bots.moderation_alerts import REPORT_ACTIONS, reaction_key
from bots.moderation_views import ALERT_KEY, alert_content, event_link, pill
from bridge.db.moderation_alerts import Alert, Report

ROOM = "!team:localhost"
JOINERS = [f"@raider{n}:spam.example" for n in range(3)]


def alert(kind: str, payload: dict[str, object], room_id: str | None = ROOM) -> Alert:
    return Alert(7, kind, room_id, payload, 1_700_000_000_000, None)


REPORT = Report(
    id=12,
    room_id=ROOM,
    event_id="$insult",
    reported_user="@troll:localhost",
    reporter="@alice:localhost",
    reason="insulte",
    excerpt="espèce de …",
    created_at=1_700_000_000_000,
    handled_by=None,
    resolution=None,
)


def test_join_wave_lists_the_joiners_as_pills_and_the_hint() -> None:
    payload = {
        "room_id": ROOM,
        "room_name": "Croix-Rousse",
        "joins": 30,
        "seconds": 60,
        "joiners": JOINERS,
    }
    content = alert_content(alert("join_wave", payload), report=None, room_name=None, language="fr")
    body = content["body"]
    assert body.splitlines()[0] == (
        "🚨 Vague d'arrivées dans Croix-Rousse : 30 arrivées en 60 s. Il est verrouillé : on "
        "n'y entre plus que sur invitation."
    )
    assert body.splitlines()[-1] == (
        "Pour agir sur eux : !depuis 10m kick|ban|mute ; réagissez 🔓 pour le déverrouiller."
    )
    assert all(f"• {user}" in body for user in JOINERS)
    assert "!depuis 10m kick|ban|mute" in body
    assert all(pill(user) in content["formatted_body"] for user in JOINERS)
    assert content["msgtype"] == "m.notice"
    assert content["m.mentions"] == {}  # the pills ping nobody
    assert content[ALERT_KEY] == {"id": 7, "kind": "join_wave"}

    english = alert_content(
        alert("join_wave", payload), report=None, room_name=None, language="en"
    )["body"]
    assert english.startswith("🚨 Join wave in Croix-Rousse: 30 joins in 60 s.")
    assert "!since 10m kick|ban|mute" in english

    # A team room of a campaign that allows knocking: people may still ask to join.
    for language, line in (
        ("fr", "Il est verrouillé : on n'y entre plus que sur invitation ou sur demande acceptée."),
        (
            "en",
            "It is locked down: people only get in by invitation, or by asking to join and "
            "being let in.",
        ),
    ):
        knocking = alert_content(
            alert("join_wave", payload), report=None, room_name=None, language=language, knock=True
        )["body"]
        assert knocking.splitlines()[0].endswith(line)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_report_shows_who_where_what_the_link_and_the_actions(language: str) -> None:
    content = alert_content(
        alert("report", {"report_id": 12}),
        report=REPORT,
        room_name="Croix-Rousse",
        language=language,
    )
    body, html = content["body"], content["formatted_body"]
    link = "https://matrix.to/#/!team:localhost/$insult"
    assert event_link(ROOM, "$insult") == link
    assert link in body and f'<a href="{link}">' in html
    assert "@troll:localhost" in body and "@alice:localhost" in body and "Croix-Rousse" in body
    assert pill("@troll:localhost") in html and pill("@alice:localhost") in html
    assert "insulte" in body and "espèce de …" in body
    assert all(emoji in body for emoji in ("🔨", "🗑️", "👢", "✅"))
    first = body.splitlines()[0]
    if language == "fr":
        assert first == (
            "🚩 Signalement n°12 : @troll:localhost signalé par @alice:localhost dans Croix-Rousse."
        )
    else:
        assert (
            first == "🚩 Report #12: @troll:localhost reported by @alice:localhost in Croix-Rousse."
        )


def test_a_report_that_is_gone_still_gets_a_line() -> None:
    content = alert_content(
        alert("report", {"report_id": 99}), report=None, room_name=None, language="fr"
    )
    assert content["body"] == "🚩 Signalement n°99 (introuvable)."


def test_protection_alert() -> None:
    payload = {
        "protection": "words",
        "user_id": "@troll:localhost",
        "room_id": ROOM,
        "event_id": "$x",
        "action": "redacted",
        "strikes": 2,
        "excerpt": "gros mot",
    }
    body = alert_content(
        alert("protection", payload), report=None, room_name="Croix-Rousse", language="fr"
    )["body"]
    assert body.splitlines() == [
        "🛡️ words (mots interdits) : message de @troll:localhost effacé dans Croix-Rousse "
        "(2 avertissement(s)).",
        "Extrait : « gros mot »",
    ]
    banned = {**payload, "action": "banned", "strikes": 3}
    english = alert_content(
        alert("protection", banned), report=None, room_name="Croix-Rousse", language="en"
    )["body"]
    assert english.startswith(
        "🛡️ words (forbidden words): @troll:localhost banned from the whole campaign after 3"
    )


def test_policy_and_lockdown_alerts() -> None:
    added = {
        "entity": "@*:spam.example",
        "kind": "user",
        "reason": "spam",
        "list": "#bans:hs",
        "sender": "@mod:localhost",
        "change": "added",
        "rooms": 4,
    }
    body = alert_content(alert("policy", added, None), report=None, room_name=None, language="fr")[
        "body"
    ]
    assert body == (
        "📜 Règle ajoutée à #bans:hs par @mod:localhost : @*:spam.example (raison : spam) ; "
        "appliquée dans 4 salon(s)."
    )
    removed = {**added, "change": "removed"}
    english = alert_content(
        alert("policy", removed, None), report=None, room_name=None, language="en"
    )["body"]
    assert english.startswith("📜 Rule removed from #bans:hs by @mod:localhost: @*:spam.example")
    locked = {"room_id": ROOM, "room_name": "Croix-Rousse", "locked": True, "by": "@mod:localhost"}
    content = alert_content(alert("lockdown", locked), report=None, room_name=None, language="fr")
    assert content["body"].splitlines() == [
        "🔒 Croix-Rousse est verrouillé (@mod:localhost).",
        "Réagissez 🔓 pour le déverrouiller.",
    ]
    assert pill("@mod:localhost") in content["formatted_body"]
    unlocked = {**locked, "locked": False, "by": "@mod:localhost"}
    assert (
        alert_content(alert("lockdown", unlocked), report=None, room_name=None, language="en")[
            "body"
        ]
        == "🔓 Croix-Rousse is unlocked (@mod:localhost)."
    )


def test_no_email_ever_shows() -> None:
    """Alerts carry Matrix IDs and room names; an email in a payload is not a field shown."""
    payload = {
        "room_id": ROOM,
        "room_name": "Croix-Rousse",
        "joins": 1,
        "seconds": 60,
        "joiners": ["@a:localhost"],
        "email": "a@example.org",
    }
    content = alert_content(alert("join_wave", payload), report=None, room_name=None, language="fr")
    assert "a@example.org" not in content["body"] + content["formatted_body"]


def test_reaction_keys_with_or_without_variation_selector() -> None:
    assert REPORT_ACTIONS[reaction_key("🗑️")] == "redacted"
    assert REPORT_ACTIONS[reaction_key("🗑")] == "redacted"
    assert REPORT_ACTIONS[reaction_key("✔️")] == "dismissed"
    assert reaction_key("👍") not in REPORT_ACTIONS
