"""The provisioning sub-application: bearer-token check, Matrix-shaped errors, the routes."""

from __future__ import annotations

import hmac
import logging

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from bridge.domain.errors import DomainError
from bridge.domain.supporters import SupporterService
from bridge.domain.teams import TeamService

from .errors import ApiError, domain_error_response, error_response
from .routes import ProvisioningAPI

log = logging.getLogger("bridge.provisioning")

#: Where the appservice mounts the API on its web server.
PREFIX = "/_ralliement/provision/v1"


def _auth_middleware(secret: str) -> Middleware:
    expected = secret.encode()

    @web.middleware
    async def check_token(request: web.Request, handler: Handler) -> web.StreamResponse:
        """``Authorization: Bearer <secret>`` on every request, compared in constant time."""
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return error_response(
                401,
                "M_MISSING_TOKEN",
                "send the provisioning secret as `Authorization: Bearer <secret>`",
                "auth.missing_token",
            )
        if not hmac.compare_digest(token.strip().encode(), expected):
            return error_response(
                403,
                "M_FORBIDDEN",
                "wrong provisioning secret (provisioning.shared_secret in the configuration)",
                "auth.forbidden",
            )
        return await handler(request)

    return check_token


@web.middleware
async def _error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every error as a Matrix-shaped JSON body; an unexpected one is logged with its request."""
    try:
        return await handler(request)
    except ApiError as error:
        return error.response()
    except DomainError as refusal:
        return domain_error_response(refusal)
    except web.HTTPException as error:
        if error.status < 400:
            raise
        return error_response(
            error.status,
            "M_UNRECOGNIZED" if error.status in (404, 405) else "M_UNKNOWN",
            f"{error.reason}: {request.method} {request.path}",
            "request.unrecognized",
        )
    except Exception:
        log.exception("Provisioning request %s %s failed", request.method, request.path)
        return error_response(
            500, "M_UNKNOWN", "internal error; see the appservice's log", "internal"
        )


def provisioning_app(
    service: TeamService, supporters: SupporterService, secret: str
) -> web.Application:
    """The provisioning API, to mount at :data:`PREFIX` with ``app.add_subapp(PREFIX, ...)``.

    Args:
        service: the team service on the appservice's database.
        supporters: the supporter service on the same database.
        secret: ``provisioning.shared_secret``; the API is off when it is empty, so do not mount
            it then.

    Raises:
        ValueError: ``secret`` is empty.
    """
    if not secret:
        raise ValueError("the provisioning API needs a secret; leave it unmounted when it is off")
    app = web.Application(middlewares=[_auth_middleware(secret), _error_middleware])
    app.add_routes(ProvisioningAPI(service, supporters).routes())
    return app
