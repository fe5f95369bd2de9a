"""Reading request bodies and parameters: size limits, JSON, declared fields, clear 400s."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from ralliement.admin.inputs import user_id_problem

from .errors import ApiError, bad_request

JSON_LIMIT = 64 * 1024
IMPORT_LIMIT = 2 * 1024 * 1024

_JSON_TYPES = {str: "a string", bool: "true or false"}


@dataclass(frozen=True)
class Field:
    """A field of a JSON body object: its name, its type, whether it must be there."""

    name: str
    type: type = str
    required: bool = False


async def read_body(request: web.Request, limit: int) -> bytes:
    """The body, or 413 ``M_TOO_LARGE`` past ``limit`` bytes (whatever Content-Length says)."""
    if request.content_length is not None and request.content_length > limit:
        raise _too_large(limit)
    body = bytearray()
    async for chunk in request.content.iter_any():
        body += chunk
        if len(body) > limit:
            raise _too_large(limit)
    return bytes(body)


def _too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        "M_TOO_LARGE",
        f"the body is larger than {limit} bytes; send fewer rows per request",
        "request.too_large",
        limit=limit,
    )


def parse_json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise bad_request(
            "request.json.invalid", f"the body is not valid JSON: {error}", "M_NOT_JSON"
        ) from error


async def read_object(request: web.Request, fields: Sequence[Field]) -> dict[str, Any]:
    """The body as a JSON object with exactly the declared ``fields`` (absent optional fields
    are None).

    Raises:
        ApiError: 400 naming the missing, unknown or mistyped field.
    """
    body = parse_json(await read_body(request, JSON_LIMIT))
    if not isinstance(body, dict):
        raise bad_request("request.json.not_object", "the body must be a JSON object")
    known = {field.name: field for field in fields}
    for name in body:
        if name not in known:
            raise bad_request(
                "request.field.unknown",
                f"unknown field {name!r} (known: {', '.join(known)})",
                field=name,
            )
    values: dict[str, Any] = {}
    for field in fields:
        value = body.get(field.name)
        if value is None:
            if field.required:
                raise bad_request(
                    "request.field.missing",
                    f"missing field {field.name!r}",
                    "M_MISSING_PARAM",
                    field=field.name,
                )
        elif not isinstance(value, field.type):
            raise bad_request(
                "request.field.type",
                f"field {field.name!r} must be {_JSON_TYPES[field.type]}",
                field=field.name,
            )
        values[field.name] = value
    return values


def check_user_id(value: str, where: str) -> str:
    """``value`` if it is a Matrix user ID, else 400 saying what is wrong with ``where``."""
    if problem := user_id_problem(value):
        raise bad_request(
            "request.user_id.invalid",
            f"{where} {problem}",
            "M_INVALID_PARAM",
            field=where,
            value=value,
        )
    return value


def query_flag(request: web.Request, name: str) -> bool:
    """A ``?name=true|false`` parameter (absent: false)."""
    value = request.query.get(name, "false").lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0", ""):
        return False
    raise bad_request(
        "request.query.invalid",
        f"query parameter {name!r} must be true or false",
        "M_INVALID_PARAM",
        parameter=name,
    )
