"""Providers chained: offline for what the gazetteer knows, the network for addresses."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from .base import BaseGeocoder, GeocodeResult, Lookup, clean
from .offline import OfflineGeocoder

logger = logging.getLogger("ralliement.geocoding")


class ChainGeocoder(BaseGeocoder):
    """Asks its providers in turn, so that an address is located as well as possible and a
    commune never waits for the network.

    1. When the offline gazetteer is among the providers and knows the whole text (a postcode,
       a commune, "Saint-Denis (93)", "69003 Lyon"), its candidates are the answer: no request
       is sent.
    2. Otherwise the network providers are asked in their order; the first to find something
       answers. One that fails (timeout, refused connection, HTTP error) is logged and the next
       one is asked.
    3. Last, the gazetteer gives the commune of the postcode, or the commune, found inside the
       text (`OfflineGeocoder.within`): commune precision rather than nothing.

    Where "offline" stands in the providers' list does not matter. `lookup` never raises;
    [] means the place is unknown (or every provider failed and the text names no commune).
    """

    def __init__(self, providers: Sequence[BaseGeocoder]) -> None:
        """Args:
        providers: the offline provider (at most one) and the network providers, in the
            order they are asked.

        Raises:
            ValueError: no provider, or the same one twice.
        """
        names = [provider.name for provider in providers]
        if not names or len(set(names)) != len(names):
            raise ValueError(f"a chain needs distinct providers, got {names}")
        self.name = "+".join(names)
        self.providers = tuple(providers)
        offline = [p for p in providers if isinstance(p, OfflineGeocoder)]
        self._offline = offline[0] if offline else None
        self._network = [p for p in providers if not isinstance(p, OfflineGeocoder)]

    async def lookup(self, text: str) -> Lookup:
        text = clean(text)
        if not text:
            return Lookup()
        if self._offline is not None:
            known = await self._offline.lookup(text)
            if known.results:
                return known
        online = False
        failed: list[str] = []
        for provider in self._network:
            found = await _ask(provider, text)
            online = online or found.online
            failed.extend(found.failed)
            if found.results:
                return Lookup(found.results, online=True, failed=tuple(failed))
        results: tuple[GeocodeResult, ...] = ()
        if self._offline is not None:
            results = tuple(self._offline.within(text))
        return Lookup(results, online=online, failed=tuple(failed))

    async def close(self) -> None:
        for provider in self.providers:
            try:
                await provider.close()
            except Exception:
                logger.exception("Closing geocoding provider %s failed", provider.name)


async def _ask(provider: BaseGeocoder, text: str) -> Lookup:
    """A provider's answer; a provider that raises (a bug: they report failures) counts as
    failed, so that a user's question still gets an answer."""
    try:
        return await provider.lookup(text)
    except Exception:
        logger.exception("Geocoding provider %s raised", provider.name)
        return Lookup(failed=(provider.name,))
