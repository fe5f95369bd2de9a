"""The few homeserver calls the bots make as the appservice (with the as_token).

The bots are users in the appservice's exclusive namespace: they are registered and logged in with
the ``m.login.application_service`` type, and their cross-signing keys are uploaded as the
appservice (Synapse then needs no interactive auth, even to replace them).
https://spec.matrix.org/v1.16/application-service-api/#server-admin-style-permissions
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import aiohttp

log = logging.getLogger("bots.api")


class HomeserverError(RuntimeError):
    """A Matrix error answer: ``errcode`` and ``error`` as the homeserver sent them."""

    def __init__(self, status: int, errcode: str, error: str) -> None:
        super().__init__(f"{errcode} ({status}): {error}")
        self.status = status
        self.errcode = errcode


class HomeserverAPI:
    """Raw client-server API calls, as the appservice or with a device's access token."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, as_token: str) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.as_token = as_token

    async def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        access_token: str | None = None,
        as_user: str | None = None,
    ) -> dict[str, Any]:
        """Call ``path`` with a device token, or with the as_token (masquerading as ``as_user``)."""
        url = self.base_url + path
        if as_user is not None:
            url += ("&" if "?" in url else "?") + "user_id=" + quote(as_user)
        headers = {"Authorization": f"Bearer {access_token or self.as_token}"}
        async with self.session.request(method, url, json=body, headers=headers) as response:
            data = await response.json(content_type=None)
            if response.status >= 400:
                data = data if isinstance(data, dict) else {}
                raise HomeserverError(
                    response.status, data.get("errcode", "M_UNKNOWN"), data.get("error", "")
                )
            return data if isinstance(data, dict) else {}

    async def ensure_registered(self, localpart: str) -> None:
        """Register the namespace user ``localpart`` if it does not exist yet."""
        try:
            await self.request(
                "POST",
                "/_matrix/client/v3/register",
                {
                    "type": "m.login.application_service",
                    "username": localpart,
                    "inhibit_login": True,
                },
            )
            log.info("Registered bot user %s", localpart)
        except HomeserverError as error:
            if error.errcode != "M_USER_IN_USE":
                raise

    async def login(self, user_id: str, device_id: str, display_name: str) -> tuple[str, str]:
        """Log ``user_id`` in as the appservice on ``device_id``; returns (token, device_id)."""
        data = await self.request(
            "POST",
            "/_matrix/client/v3/login",
            {
                "type": "m.login.application_service",
                "identifier": {"type": "m.id.user", "user": user_id},
                "device_id": device_id,
                "initial_device_display_name": display_name,
            },
        )
        return data["access_token"], data["device_id"]

    async def whoami(self, access_token: str) -> dict[str, Any]:
        return await self.request(
            "GET", "/_matrix/client/v3/account/whoami", access_token=access_token
        )

    async def delete_device(self, user_id: str, device_id: str) -> None:
        await self.request(
            "DELETE", f"/_matrix/client/v3/devices/{quote(device_id)}", {}, as_user=user_id
        )

    async def query_keys(self, user_id: str, access_token: str) -> dict[str, Any]:
        return await self.request(
            "POST",
            "/_matrix/client/v3/keys/query",
            {"device_keys": {user_id: []}},
            access_token=access_token,
        )
