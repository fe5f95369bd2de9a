"""Cross-signing for a bot's own device, which matrix-nio does not implement.

Each bot account gets master, self-signing and user-signing Ed25519 keys, generated once and kept
in its store folder. The bot's device keys are signed with the self-signing key, so clients that
exclude devices not verified by their owner (Element since April 2026, MSC4153) still talk to it.
If the device changes (new store, deleted device) the same keys sign the new one, so the bot's
identity stays the same for everyone who already saw it.
Spec: https://spec.matrix.org/v1.16/client-server-api/#cross-signing
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from signedjson.key import (
    SigningKey,
    decode_signing_key_base64,
    encode_signing_key_base64,
    encode_verify_key_base64,
    generate_signing_key,
    get_verify_key,
)
from signedjson.sign import sign_json

from ralliement.files import write_private

from .homeserver_api import HomeserverAPI

log = logging.getLogger("bots.crosssign")

_USAGES = ("master", "self_signing", "user_signing")


def _public(key: SigningKey) -> str:
    return encode_verify_key_base64(get_verify_key(key))


def _named(key: SigningKey) -> SigningKey:
    """Cross-signing key ids are ``ed25519:<public key>``: signedjson uses ``version`` for that."""
    key.version = _public(key)
    return key


@dataclass(frozen=True)
class CrossSigningKeys:
    """The private cross-signing keys of one bot account."""

    master: SigningKey
    self_signing: SigningKey
    user_signing: SigningKey

    @classmethod
    def load_or_create(cls, path: Path) -> CrossSigningKeys:
        """Read the keys from ``path``, or generate and save them (mode 0600) the first time."""
        if path.exists():
            seeds = json.loads(path.read_text())
            return cls(
                *(_named(decode_signing_key_base64("ed25519", "x", seeds[u])) for u in _USAGES)
            )
        keys = cls(*(_named(generate_signing_key("x")) for _ in _USAGES))
        seeds = {u: encode_signing_key_base64(keys.by_usage(u)) for u in _USAGES}
        write_private(path, json.dumps(seeds))
        return keys

    def by_usage(self, usage: str) -> SigningKey:
        return {
            "master": self.master,
            "self_signing": self.self_signing,
            "user_signing": self.user_signing,
        }[usage]

    def public_key(self, usage: str) -> str:
        return _public(self.by_usage(usage))

    def signing_key_objects(self, user_id: str) -> dict[str, Any]:
        """The body of ``/keys/device_signing/upload``: the three public keys, signed."""

        def key_object(usage: str) -> dict[str, Any]:
            public = self.public_key(usage)
            return {"user_id": user_id, "usage": [usage], "keys": {f"ed25519:{public}": public}}

        return {
            "master_key": key_object("master"),
            "self_signing_key": sign_json(key_object("self_signing"), user_id, self.master),
            "user_signing_key": sign_json(key_object("user_signing"), user_id, self.master),
        }

    def sign_device(self, user_id: str, device_keys: dict[str, Any]) -> dict[str, Any]:
        """The device's key object signed by the self-signing key (only our signature kept)."""
        unsigned = {k: v for k, v in device_keys.items() if k not in ("signatures", "unsigned")}
        return sign_json(unsigned, user_id, self.self_signing)


@dataclass(frozen=True)
class CrossSigningOutcome:
    uploaded_identity: bool
    signed_device: bool


async def ensure_cross_signed(
    api: HomeserverAPI,
    keys: CrossSigningKeys,
    user_id: str,
    device_id: str,
    access_token: str,
) -> CrossSigningOutcome:
    """Make sure the account publishes ``keys`` and that ``device_id`` is signed by them.

    Idempotent: does nothing when the homeserver already has both.
    Raises:
        RuntimeError: the device has not uploaded its own keys yet, or the homeserver refused.
    """
    found = await api.query_keys(user_id, access_token)
    master_public = keys.public_key("master")
    server_master = found.get("master_keys", {}).get(user_id, {}).get("keys", {})
    uploaded = server_master.get(f"ed25519:{master_public}") != master_public
    if uploaded:
        # As the appservice: Synapse asks no interactive auth, even when replacing keys.
        await api.request(
            "POST",
            "/_matrix/client/v3/keys/device_signing/upload",
            keys.signing_key_objects(user_id),
            as_user=user_id,
        )
        log.info("%s: published cross-signing keys (master %s)", user_id, master_public)

    device = found.get("device_keys", {}).get(user_id, {}).get(device_id)
    if device is None:
        raise RuntimeError(f"{user_id}: device {device_id} has no keys on the homeserver yet")
    self_signing_id = f"ed25519:{keys.public_key('self_signing')}"
    already_signed = self_signing_id in device.get("signatures", {}).get(user_id, {})
    if already_signed and not uploaded:
        return CrossSigningOutcome(uploaded_identity=False, signed_device=False)
    result = await api.request(
        "POST",
        "/_matrix/client/v3/keys/signatures/upload",
        {user_id: {device_id: keys.sign_device(user_id, device)}},
        access_token=access_token,
    )
    if result.get("failures"):
        raise RuntimeError(f"{user_id}: signing device {device_id} failed: {result['failures']}")
    log.info("%s: device %s signed by its self-signing key", user_id, device_id)
    return CrossSigningOutcome(uploaded_identity=uploaded, signed_device=True)
