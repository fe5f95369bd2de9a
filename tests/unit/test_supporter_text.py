"""What supporters read about their own data: every supporter refusal in French and English, and
each kind of erased data in words."""

from __future__ import annotations

import pytest

from bots.i18n import MESSAGES, translate_count
from bots.refusals import refusal
from bridge.domain import supporter_input, supporters
from bridge.domain.supporters import ErasureReport, SupporterError


def supporter_keys() -> set[str]:
    return {
        value
        for module in (supporters, supporter_input)
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str) and value.startswith("supporter.")
    }


def test_every_supporter_refusal_has_bot_wording() -> None:
    assert "supporter.already_linked" in supporter_keys()
    assert supporter_keys() <= set(MESSAGES)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_refusals_say_as_little_as_they_can(language: str) -> None:
    unknown = refusal(SupporterError("supporter.unknown", email="nobody@exemple.fr"), language)
    assert "nobody@exemple.fr" in unknown.body
    already = refusal(SupporterError("supporter.already_linked"), language)
    assert "@" not in already.body.replace("!", "")  # names no address
    assert ("!moi" if language == "fr" else "!me") in already.body
    elsewhere = refusal(SupporterError("supporter.linked_elsewhere", email="a@b.fr"), language)
    assert "admin" in elsewhere.body and "a@b.fr" not in elsewhere.body


@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_kind_of_erased_data_is_said(language: str) -> None:
    report = ErasureReport(
        "@alice:localhost",
        supporter=True,
        team_memberships=2,
        rsvps=1,
        email_codes=1,
        email_sent=3,
        joining=True,
    )
    lines = [
        translate_count(f"supporter.erased.{kind}", count, language)
        for kind, count in report.erased().items()
        if count
    ]
    assert len(lines) == 6 and all(lines)
    assert translate_count("supporter.erased.team_memberships", 2, "fr") == (
        "votre place dans 2 équipes"
    )
    assert not ErasureReport("@bob:localhost").anything
