"""Geocoding: typed text to candidate places, best first, behind one small interface.

Providers: ``offline`` (the gazetteer shipped with Ralliement: communes and postcodes, no
network), ``ban`` (France's national address base, for street addresses) and ``nominatim``
(OpenStreetMap, public or self-hosted). `ChainGeocoder` asks them in turn, `CachedGeocoder`
keeps the network's answers in the database, and `geocoder_from_config` builds both from the
``geocoding`` section::

    geocoder = geocoder_from_config(config, db)
    candidates = await geocoder.geocode("12 rue Paul Bert, 69003 Lyon")
    ...
    await geocoder.close()
"""

from .ban import BanGeocoder
from .base import BaseGeocoder, Geocoder, GeocodeResult, Lookup, Precision
from .cache import CachedGeocoder
from .chain import ChainGeocoder
from .factory import geocoder_from_config, providers_from_config
from .nominatim import NominatimGeocoder
from .offline import OfflineGeocoder

__all__ = [
    "BanGeocoder",
    "BaseGeocoder",
    "CachedGeocoder",
    "ChainGeocoder",
    "GeocodeResult",
    "Geocoder",
    "Lookup",
    "NominatimGeocoder",
    "OfflineGeocoder",
    "Precision",
    "geocoder_from_config",
    "providers_from_config",
]
