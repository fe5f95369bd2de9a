"""The geocoder the configuration asks for (section ``geocoding``)."""

from __future__ import annotations

from mautrix.util.async_db import Database

from ralliement.config_schema import Config, GeocodingConfig

from .ban import BanGeocoder
from .base import OFFLINE, BaseGeocoder
from .cache import CachedGeocoder
from .chain import ChainGeocoder
from .nominatim import NominatimGeocoder
from .offline import OfflineGeocoder


def providers_from_config(section: GeocodingConfig) -> list[BaseGeocoder]:
    """The providers named by ``geocoding.providers``, in their order."""
    providers: list[BaseGeocoder] = []
    for name in section.providers:
        if name == OFFLINE:
            providers.append(OfflineGeocoder())
        elif name == BanGeocoder.name:
            providers.append(
                BanGeocoder(
                    section.ban_url, user_agent=section.user_agent, timeout_s=section.timeout_s
                )
            )
        elif name == NominatimGeocoder.name:
            providers.append(
                NominatimGeocoder(
                    section.nominatim_url,
                    user_agent=section.user_agent,
                    timeout_s=section.timeout_s,
                    min_delay_s=section.nominatim_min_delay_s,
                )
            )
        else:  # the configuration's check lists the names
            raise ValueError(f"unknown geocoding provider {name!r}")
    return providers


def geocoder_from_config(
    config: Config | GeocodingConfig, db: Database | None
) -> CachedGeocoder | ChainGeocoder:
    """The configured providers chained (`ChainGeocoder`), with their answers cached in ``db``.

    Args:
        config: the whole configuration, or its ``geocoding`` section.
        db: the migrated database; None for no cache.

    Returns:
        A `Geocoder`; ``await geocoder.close()`` on shutdown closes its HTTP sessions.
    """
    section = config.geocoding if isinstance(config, Config) else config
    chain = ChainGeocoder(providers_from_config(section))
    return chain if db is None else CachedGeocoder(chain, db)
