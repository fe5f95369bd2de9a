"""Refusals the front doors translate for the user.

Each refusal carries a message key (``team.role.last_referent``) and its parameters rather than a
sentence, so that a bot can answer in the user's language.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request the domain refuses, named by a message key."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.key!r}, {self.params!r})"
