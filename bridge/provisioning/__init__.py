"""The HTTP provisioning API of the appservice: the admin door for programs (a campaign website,
a CRM export). Documented in ``docs/provisioning-openapi.yaml``; everything goes through
:class:`~bridge.domain.teams.TeamService`, as the bots and ``ralliement admin`` do."""

from __future__ import annotations

from .app import PREFIX, provisioning_app

__all__ = ["PREFIX", "provisioning_app"]
