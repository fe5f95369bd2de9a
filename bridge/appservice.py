"""The appservice's HTTP door: mautrix's AppService with a durable, replay-safe transaction path.

mautrix answers 200 even when a handler raised and remembers transaction ids only in memory. Here a
transaction is answered 200 only once its events are committed to the inbox table; a database error
answers 500 so that the homeserver retries. Processing happens afterwards (see ``bridge.inbox``).
Spec: https://spec.matrix.org/v1.16/application-service-api/#pushing-events
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable
from typing import Any

from aiohttp import web
from mautrix.appservice import AppService

from .db.inbox import InboxRepository

log = logging.getLogger("bridge.as")


def _matrix_error(status: int, errcode: str, message: str) -> web.Response:
    return web.json_response({"errcode": errcode, "error": message}, status=status)


class DurableAppService(AppService):
    """AppService whose transactions land in the database before they are acknowledged."""

    def __init__(
        self, *args: Any, inbox: InboxRepository, on_stored: Callable[[], None], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.inbox = inbox
        self._on_stored = on_stored

    def _check_token(self, request: web.Request) -> bool:
        """Accept only the homeserver's hs_token, compared in constant time."""
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            token = header.removeprefix("Bearer ")
        else:
            # Deprecated by the spec but still sent by older homeservers.
            token = request.rel_url.query.get("access_token", "")
        return bool(token) and hmac.compare_digest(token.encode(), self.hs_token.encode())

    async def _http_handle_transaction(self, request: web.Request) -> web.Response:
        if not self._check_token(request):
            if _has_token(request):
                return _matrix_error(403, "M_FORBIDDEN", "Invalid hs_token")
            return _matrix_error(401, "M_UNAUTHORIZED", "Missing hs_token")
        txn_id = request.match_info["transaction_id"]
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return _matrix_error(400, "M_NOT_JSON", "Body is not JSON")
        events = body.get("events") if isinstance(body, dict) else None
        if not isinstance(events, list) or not all(_is_storable(e) for e in events):
            return _matrix_error(400, "M_BAD_JSON", "Missing or malformed events list")
        try:
            stored = await self.inbox.store_transaction(txn_id, events)
        except Exception:
            log.exception("Could not store transaction %s; the homeserver will retry", txn_id)
            return _matrix_error(500, "M_UNKNOWN", "Could not store the transaction, retry later")
        if stored:
            log.debug("Stored transaction %s with %d events", txn_id, len(events))
            self._on_stored()
        else:
            log.debug("Transaction %s was already stored: acknowledged again", txn_id)
        return web.json_response({})


def _has_token(request: web.Request) -> bool:
    return "Authorization" in request.headers or "access_token" in request.rel_url.query


def _is_storable(event: Any) -> bool:
    return isinstance(event, dict) and isinstance(event.get("event_id"), str)
