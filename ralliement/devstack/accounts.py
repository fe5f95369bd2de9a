"""Create accounts on the dev homeserver with its registration shared secret.

Implements Synapse's shared-secret registration admin API:
https://element-hq.github.io/synapse/latest/admin_api/register_api.html
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import aiohttp


class AccountError(RuntimeError):
    """The homeserver refused to create the account; the message says why."""


@dataclass(frozen=True)
class Account:
    user_id: str
    access_token: str
    device_id: str


async def register_user(
    homeserver: str,
    shared_secret: str,
    localpart: str,
    password: str,
    *,
    admin: bool = False,
    displayname: str | None = None,
) -> Account:
    """Register ``localpart`` and return its first login."""
    url = homeserver.rstrip("/") + "/_synapse/admin/v1/register"
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as response:
            nonce = (await response.json())["nonce"]
        body = {
            "nonce": nonce,
            "username": localpart,
            "password": password,
            "admin": admin,
            "mac": _mac(shared_secret, nonce, localpart, password, admin),
        }
        if displayname:
            body["displayname"] = displayname
        async with session.post(url, json=body) as response:
            data = await response.json()
            if response.status != 200:
                raise AccountError(data.get("error", f"HTTP {response.status}"))
    return Account(data["user_id"], data["access_token"], data["device_id"])


def _mac(shared_secret: str, nonce: str, localpart: str, password: str, admin: bool) -> str:
    message = b"\x00".join(
        part.encode() for part in (nonce, localpart, password, "admin" if admin else "notadmin")
    )
    return hmac.new(shared_secret.encode(), message, hashlib.sha1).hexdigest()
