"""What the network providers share: their URL, the text they accept, failures, départements."""

from __future__ import annotations

import logging
import re
import urllib.parse

from geopy.exc import GeopyError

from ..gazetteer import gazetteer
from ..names import departement_code

logger = logging.getLogger("ralliement.geocoding")

#: What a provider's call may raise: geopy's errors (timeout, refused connection, HTTP status
#: ≥ 400, unreadable JSON) and those of reading an answer that is not shaped as documented.
FAILURES: tuple[type[Exception], ...] = (
    GeopyError,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
)

#: BAN refuses a query shorter than 3 or longer than 200 characters, or not starting with a
#: letter or a digit; the other providers get the same rule.
MIN_QUERY, MAX_QUERY = 3, 200
_LEADING_NOISE = re.compile(r"^\W+")
_POSTCODE = re.compile(r"\d{5}")


def network_query(text: str) -> str | None:
    """The text as sent to a network provider, or None when it cannot be asked."""
    query = _LEADING_NOISE.sub("", " ".join(text.split()))
    return query if MIN_QUERY <= len(query) <= MAX_QUERY else None


def split_url(url: str) -> tuple[str, str]:
    """A provider's base URL as geopy takes it: (scheme, domain with an optional path).

    "https://data.geopf.fr/geocodage" gives ("https", "data.geopf.fr/geocodage").
    """
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return parts.scheme, parts.netloc + parts.path.rstrip("/")


def first_postcode(value: object) -> str | None:
    """The first five-digit code in a provider's postcode field ("69003;69004" → "69003")."""
    match = _POSTCODE.search(value) if isinstance(value, str) else None
    return match.group(0) if match else None


def known_departement(code: str) -> str | None:
    """The département code as the gazetteer writes it ("2a" → "2A"), None if unknown."""
    code = departement_code(code)
    return code if gazetteer().departement_name(code) is not None else None


def departement_of(citycode: str | None = None, postcode: str | None = None) -> str | None:
    """The département of an INSEE commune code ("2A004" → "2A", "97411" → "974"), else of
    a postcode; None when neither names a known département."""
    if citycode and len(citycode) == 5:
        code = known_departement(citycode[:3] if citycode.startswith("97") else citycode[:2])
        if code is not None:
            return code
    return gazetteer().departement_of_postcode(postcode) if postcode else None


def log_failure(provider: str, error: Exception) -> None:
    """Log a provider's failure, without the text asked (it may be someone's address)."""
    logger.warning(
        "Geocoding provider %s failed: %s: %s", provider, type(error).__name__, error or "-"
    )
