"""What a supporter is made of, checked and normalised: the address, the name, the postcode.

Pure functions, no I/O; :class:`~bridge.domain.supporters.SupporterService` applies them to every
door (the import, the API, the welcome bot), so an address typed anywhere compares equal to the
same address typed elsewhere.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bridge.db.supporters import Supporter

from .errors import DomainError

EMAIL_MAX = 254  # RFC 5321's limit on a path, as every mail server applies it
LOCAL_PART_MAX = 64
NAME_MAX = 120

# Message keys of the refusals, for the bots' and the admins' texts.
EMAIL_INVALID = "supporter.email.invalid"
POSTCODE_INVALID = "supporter.postcode.invalid"
NAME_LENGTH = "supporter.name.length"

# A pragmatic address check (no DNS): what a person can type into a sign-up form. The local part
# is any run of characters but spaces, controls and RFC 5322's specials, in dot-separated pieces
# (no quoted local parts: no sign-up form produces them). The domain is made of labels of
# letters (any script: internationalised domains), digits and inner hyphens, with a top-level
# label that is not only digits (so no IP literals either).
_LOCAL_PIECE = r"[^\s@\"(),:;<>\[\\\].\x00-\x1f\x7f]+"
_LOCAL_PART = re.compile(rf"{_LOCAL_PIECE}(?:\.{_LOCAL_PIECE})*")
_LABEL = r"[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?"
_DOMAIN = re.compile(rf"(?:{_LABEL}\.)+{_LABEL}")
_POSTCODE = re.compile(r"(?!00)\d{5}")  # départements 01 to 98 (Corsica: 20)


class SupporterError(DomainError):
    """A supporter request refused: a bad address, or a link the rules refuse."""


def normalise_email(text: str) -> str:
    """An address as it is stored and compared: trimmed, and case-folded as a whole.

    " Alice.Martin@Exemple.FR. " → "alice.martin@exemple.fr".

    Domains are case-insensitive. Local parts may in theory be case-sensitive (RFC 5321 §2.4),
    but no mail service people use treats them so, while people type their address with
    different capitals on the sign-up site and in the bot all the time. Folding the whole address
    therefore merges no two real people of a campaign list and spares the same person an
    "unknown address"; the code is sent to the folded address, which reaches the same mailbox.
    Dots and ``+tags`` are kept: removing them is a Gmail convention that would merge distinct
    people elsewhere. Text is NFC-normalised first (the same letter typed two ways is one
    address), and a final period (the end of a sentence typed in a chat) is dropped.

    Raises:
        SupporterError: ``supporter.email.invalid`` (with ``email``, the trimmed text).
    """
    cleaned = unicodedata.normalize("NFC", text).strip()
    candidate = cleaned.rstrip(".").casefold()
    local, at, domain = candidate.rpartition("@")
    if (
        not at
        or len(candidate) > EMAIL_MAX
        or len(local) > LOCAL_PART_MAX
        or not _LOCAL_PART.fullmatch(local)
        or not _DOMAIN.fullmatch(domain)
        or domain.rsplit(".", 1)[-1].isdigit()
    ):
        raise SupporterError(EMAIL_INVALID, email=cleaned)
    return candidate


def normalise_postcode(text: str | None) -> str | None:
    """A French postcode as stored: five digits ("69 003" → "69003"); None for none.

    Four digits get back the leading zero a spreadsheet removed ("1000" → "01000", Ain). Whether
    the postcode exists is not checked: a sign-up site may hold a CEDEX or a brand-new code.

    Raises:
        SupporterError: ``supporter.postcode.invalid`` (with ``postcode``).
    """
    if text is None or not text.strip():
        return None
    compact = "".join(text.split())
    if len(compact) == 4 and compact.isdigit() and compact[0] != "0":
        compact = "0" + compact
    if not _POSTCODE.fullmatch(compact):
        raise SupporterError(POSTCODE_INVALID, postcode=text.strip())
    return compact


def clean_name(text: str | None) -> str:
    """A name with its spaces collapsed; "" for none.

    Raises:
        SupporterError: ``supporter.name.length`` (with ``max``).
    """
    cleaned = " ".join((text or "").split())
    if len(cleaned) > NAME_MAX:
        raise SupporterError(NAME_LENGTH, max=NAME_MAX)
    return cleaned


@dataclass(frozen=True)
class SupporterInput:
    """A supporter as an import row or the API gives it, checked and normalised.

    An empty name or no postcode means "not given": saving keeps what is stored.
    """

    email: str
    name: str = ""
    postcode: str | None = None

    @classmethod
    def check(
        cls, email: str, name: str | None = "", postcode: str | None = None
    ) -> SupporterInput:
        """The normalised input, or its first refusal (address, then name, then postcode).

        Raises:
            SupporterError: ``supporter.email.invalid``, ``supporter.name.length``,
                ``supporter.postcode.invalid``.
        """
        return cls(normalise_email(email), clean_name(name), normalise_postcode(postcode))

    def changes(self, existing: Supporter) -> list[str]:
        """The fields saving this would change on ``existing`` ("name", "postcode")."""
        changed = []
        if self.name and self.name != existing.name:
            changed.append("name")
        if self.postcode is not None and self.postcode != existing.postcode:
            changed.append("postcode")
        return changed

    def merged(self, existing: Supporter) -> tuple[str, str | None]:
        """The name and postcode to store over ``existing``."""
        return (
            self.name or existing.name,
            self.postcode if self.postcode is not None else existing.postcode,
        )
