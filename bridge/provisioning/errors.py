"""Matrix-shaped error bodies for the provisioning API.

Every error is ``{"errcode", "error", "key", "params"}``: ``errcode`` and the HTTP status as in the
Matrix client-server API, ``error`` an English sentence for admins, ``key`` and ``params`` the
precise reason for programs (a domain refusal's key, or a ``request.*``/``auth.*`` key).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from bridge.domain.errors import DomainError
from ralliement.admin.messages import admin_message

CONFLICT = "ORG.RALLIEMENT.CONFLICT"

# Domain refusals not listed here are state conflicts: 409.
DOMAIN_STATUS: Mapping[str, tuple[int, str]] = {
    "team.name.length": (400, "M_INVALID_PARAM"),
    "team.kind.invalid": (400, "M_INVALID_PARAM"),
    "team.avatar.invalid": (400, "M_INVALID_PARAM"),
    "team.place.required": (400, "M_INVALID_PARAM"),
    "place.unknown": (400, "M_INVALID_PARAM"),
    "place.ambiguous": (400, "M_INVALID_PARAM"),
    "team.not_found": (404, "M_NOT_FOUND"),
    "team.member.not_found": (404, "M_NOT_FOUND"),
    "supporter.email.invalid": (400, "M_INVALID_PARAM"),
    "supporter.postcode.invalid": (400, "M_INVALID_PARAM"),
    "supporter.name.length": (400, "M_INVALID_PARAM"),
    # The acting member (``actor``) may not do this.
    "team.not_member": (403, "M_FORBIDDEN"),
    "team.role.not_allowed": (403, "M_FORBIDDEN"),
    "team.role.self_change": (403, "M_FORBIDDEN"),
    "team.role.referent_only": (403, "M_FORBIDDEN"),
}


class ApiError(Exception):
    """An error answered to the client as is."""

    def __init__(self, status: int, errcode: str, error: str, key: str, **params: Any) -> None:
        super().__init__(error)
        self.status = status
        self.errcode = errcode
        self.error = error
        self.key = key
        self.params = params

    def response(self) -> web.Response:
        return error_response(self.status, self.errcode, self.error, self.key, self.params)


def error_response(
    status: int, errcode: str, error: str, key: str, params: Mapping[str, Any] | None = None
) -> web.Response:
    body = {"errcode": errcode, "error": error, "key": key, "params": dict(params or {})}
    return web.json_response(body, status=status)


def domain_error_response(refusal: DomainError) -> web.Response:
    status, errcode = DOMAIN_STATUS.get(refusal.key, (409, CONFLICT))
    return error_response(status, errcode, admin_message(refusal), refusal.key, refusal.params)


def bad_request(key: str, error: str, errcode: str = "M_BAD_JSON", **params: Any) -> ApiError:
    return ApiError(400, errcode, error, key, **params)
