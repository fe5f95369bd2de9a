"""Cross-signing keys: kept across restarts, and the signatures clients check are valid."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from signedjson.key import decode_verify_key_bytes
from signedjson.sign import verify_signed_json
from unpaddedbase64 import decode_base64

from bots.crosssign import CrossSigningKeys

USER = "@ralliement_bienvenue:localhost"


def verify(signed: dict, public: str) -> None:
    key_id = f"ed25519:{public}"
    verify_signed_json(signed, USER, decode_verify_key_bytes(key_id, decode_base64(public)))


def test_keys_are_created_once_then_reloaded(tmp_path: Path) -> None:
    path = tmp_path / "cross_signing.json"
    created = CrossSigningKeys.load_or_create(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    reloaded = CrossSigningKeys.load_or_create(path)
    for usage in ("master", "self_signing", "user_signing"):
        assert reloaded.public_key(usage) == created.public_key(usage)
    assert len({created.public_key(u) for u in ("master", "self_signing", "user_signing")}) == 3


def test_uploaded_keys_and_device_signature_verify(tmp_path: Path) -> None:
    keys = CrossSigningKeys.load_or_create(tmp_path / "cross_signing.json")
    objects = keys.signing_key_objects(USER)
    master = keys.public_key("master")
    assert objects["master_key"]["keys"] == {f"ed25519:{master}": master}
    verify(objects["self_signing_key"], master)
    verify(objects["user_signing_key"], master)

    device = {
        "user_id": USER,
        "device_id": "DEVICE",
        "algorithms": ["m.olm.v1.curve25519-aes-sha2"],
        "keys": {"ed25519:DEVICE": "abc"},
        "signatures": {USER: {"ed25519:DEVICE": "device-self-signature"}},
        "unsigned": {"device_display_name": "bot"},
    }
    signed = keys.sign_device(USER, device)
    verify(signed, keys.public_key("self_signing"))
    assert "unsigned" not in signed
