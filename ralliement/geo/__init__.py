"""Places in France without network: communes, postcodes and départements (`gazetteer`)."""

from .gazetteer import Gazetteer, Place, gazetteer

__all__ = ["Gazetteer", "Place", "gazetteer"]
