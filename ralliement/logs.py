"""Logging set-up from the configuration: hierarchical loggers, to stderr."""

from __future__ import annotations

import logging
from collections.abc import Mapping


def setup_logging(level: str = "INFO", loggers: Mapping[str, str] | None = None) -> None:
    """Configure the root logger and per-logger levels (``bridge.as``, ``bots.welcome``...)."""
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        force=True,
    )
    # Third-party libraries are chatty at INFO; our own loggers follow the configured level.
    for noisy in ("aiohttp.access", "nio.rooms", "nio.crypto", "nio.responses", "mau.as"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    for name, logger_level in (loggers or {}).items():
        logging.getLogger(name).setLevel(logger_level)
