"""How a component tells its supervisor it is ready: one JSON line on stdout.

``ralliement up`` and the test fixtures start the bridge and the bots as child processes and wait
for this line; logs go to stderr, so the two never mix.
"""

from __future__ import annotations

import json
import sys
from typing import Any

READY_PREFIX = "RALLIEMENT_READY "


def announce_ready(component: str, **details: Any) -> None:
    """Print the ready line for ``component`` (e.g. ``bridge``, ``bots``)."""
    sys.stdout.write(READY_PREFIX + json.dumps({"component": component, **details}) + "\n")
    sys.stdout.flush()


def parse_ready(line: str) -> dict[str, Any] | None:
    """The details of a ready line, or None for any other line."""
    if not line.startswith(READY_PREFIX):
        return None
    details = json.loads(line.removeprefix(READY_PREFIX))
    return details if isinstance(details, dict) else None
