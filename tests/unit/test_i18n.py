"""Every sentence exists in French and English with the same placeholders."""

from __future__ import annotations

import string

import pytest

from bots.i18n import MESSAGES, translate


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_with_the_same_placeholders(key: str) -> None:
    variants = MESSAGES[key]
    assert set(variants) == {"fr", "en"}
    assert placeholders(variants["fr"]) == placeholders(variants["en"])


def test_unknown_language_falls_back_to_french() -> None:
    assert translate("help.header", "de") == "Voici ce que je sais faire :"
