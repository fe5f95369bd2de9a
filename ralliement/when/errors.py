"""The refusals of the date/time parser, named by message keys (see ``bots.i18n``)."""

from __future__ import annotations

from bridge.domain.errors import DomainError


class WhenError(DomainError):
    """A phrase the parser cannot turn into a moment.

    Keys and their parameters:

    - ``when.empty``: nothing was written.
    - ``when.unknown`` (``text``, ``examples``): ``text`` is the part not understood (the whole
      phrase when nothing was); ``examples`` a few phrases that work, already joined.
    - ``when.invalid_date`` (``day``, ``month``): a date that does not exist, like 31/02.
    - ``when.invalid_time`` (``time``): a time of day that does not exist, like 25h, as typed.
    - ``when.ambiguous`` (``text``, ``first``, ``second``): two parts of the phrase that
      contradict each other ("demain samedi" said on a Thursday), as typed.
    - ``when.too_far`` (``text``): a moment beyond the calendar ("dans 999999 semaines").
    - ``when.duration_unknown`` (``text``, ``examples``): ``parse_duration`` did not understand.
    """
