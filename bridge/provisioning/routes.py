"""The provisioning API's endpoints: each reads its input, calls :class:`TeamService` or
:class:`SupporterService`, and answers the JSON shapes of :mod:`ralliement.admin.views` and of
the import reports (the same as ``ralliement admin --json``). Documented in
``docs/provisioning-openapi.yaml``.

No endpoint lists supporters or their addresses: the supporter endpoints only answer about what
was sent.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bridge.db.supporters import SupporterSource
from bridge.domain.roles import Role
from bridge.domain.supporters import Saved, SupporterService
from bridge.domain.teams import TeamService
from ralliement.admin.importer import import_rows
from ralliement.admin.supporter_import import import_supporters
from ralliement.admin.tables import (
    SUPPORTERS,
    TEAMS,
    ImportFileError,
    ImportRow,
    Table,
    rows_from_csv,
    rows_from_json,
)
from ralliement.admin.views import card_json, supporter_json, team_json

from .bodies import (
    IMPORT_LIMIT,
    Field,
    check_user_id,
    parse_json,
    query_flag,
    read_body,
    read_object,
)
from .errors import ApiError, bad_request

log = logging.getLogger("bridge.provisioning")

CREATE_TEAM = (
    Field("name", required=True),
    Field("kind", required=True),
    Field("place"),
    Field("referent", required=True),
    Field("description"),
    Field("avatar_url"),
)
SET_ROLE = (Field("role", required=True), Field("actor"))
NEW_SUPPORTER = (Field("email", required=True), Field("name"), Field("postcode"))
CSV_TYPES = ("text/csv", "text/plain", "application/csv")


async def read_table(request: web.Request, table: Table) -> tuple[list[ImportRow], list[str]]:
    """The rows of an import body (CSV or a JSON list) and the CSV columns ignored.

    Raises:
        ApiError: 415 for another content type, 400 ``import.file.invalid`` for a table that
            cannot be read, 413 past :data:`IMPORT_LIMIT`.
    """
    data = await read_body(request, IMPORT_LIMIT)
    try:
        if request.content_type == "application/json":
            return rows_from_json(parse_json(data), table), []
        if request.content_type in CSV_TYPES:
            return rows_from_csv(data, table)
    except ImportFileError as error:
        raise bad_request("import.file.invalid", str(error)) from error
    raise ApiError(
        415,
        "M_UNRECOGNIZED",
        f"send the rows as application/json or text/csv, not {request.content_type}",
        "request.content_type",
        content_type=request.content_type,
    )


class ProvisioningAPI:
    """The endpoints, bound to the domain services."""

    def __init__(self, service: TeamService, supporters: SupporterService) -> None:
        self.service = service
        self.supporters = supporters

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/teams", self.create_team),
            web.get("/teams", self.list_teams, allow_head=False),
            web.post("/teams/import", self.import_teams),
            web.get("/teams/{team_id}", self.show_team, allow_head=False),
            web.post("/teams/{team_id}/archive", self.archive_team),
            web.put("/teams/{team_id}/members/{user_id}/role", self.set_role),
            web.post("/supporters", self.add_supporter),
            web.post("/supporters/import", self.import_supporters),
        ]

    async def create_team(self, request: web.Request) -> web.Response:
        body = await read_object(request, CREATE_TEAM)
        referent = check_user_id(body["referent"], "referent")
        team = await self.service.create_team_at(
            body["name"],
            body["kind"],
            body["place"],
            referent,
            description=body["description"] or "",
            avatar_url=body["avatar_url"],
        )
        log.info("Created team %s for %s", team.id, referent)
        members = await self.service.members(team.id)
        return web.json_response(card_json(team, members), status=201)

    async def list_teams(self, request: web.Request) -> web.Response:
        teams = await self.service.list_teams(include_archived=query_flag(request, "all"))
        counts = await self.service.repository.member_counts()
        return web.json_response(
            {"teams": [team_json(team, counts.get(team.id, 0)) for team in teams]}
        )

    async def show_team(self, request: web.Request) -> web.Response:
        team = await self.service.get_team(request.match_info["team_id"])
        return web.json_response(card_json(team, await self.service.members(team.id)))

    async def archive_team(self, request: web.Request) -> web.Response:
        team = await self.service.archive_team(request.match_info["team_id"])
        log.info("Archived team %s", team.id)
        return web.json_response({"team": team_json(team)})

    async def import_teams(self, request: web.Request) -> web.Response:
        dry_run = query_flag(request, "dry_run")
        rows, ignored = await read_table(request, TEAMS)
        report = await import_rows(self.service, rows, dry_run=dry_run, ignored_columns=ignored)
        log.info("Import%s: %s", " (dry run)" if dry_run else "", report.summary())
        return web.json_response(report.as_json())

    async def add_supporter(self, request: web.Request) -> web.Response:
        body = await read_object(request, NEW_SUPPORTER)
        supporter, saved = await self.supporters.save(
            body["email"], body["name"] or "", body["postcode"], SupporterSource.API
        )
        log.info("Supporter %d %s through the API", supporter.id, saved.value)
        return web.json_response(
            {"supporter": supporter_json(supporter), "status": saved.value},
            status=201 if saved is Saved.CREATED else 200,
        )

    async def import_supporters(self, request: web.Request) -> web.Response:
        dry_run = query_flag(request, "dry_run")
        rows, ignored = await read_table(request, SUPPORTERS)
        report = await import_supporters(
            self.supporters,
            rows,
            source=SupporterSource.API,
            dry_run=dry_run,
            ignored_columns=ignored,
        )
        log.info("Supporter import%s: %s", " (dry run)" if dry_run else "", report.summary())
        return web.json_response(report.as_json())

    async def set_role(self, request: web.Request) -> web.Response:
        team_id = request.match_info["team_id"]
        target = check_user_id(request.match_info["user_id"], "user_id")
        body = await read_object(request, SET_ROLE)
        try:
            role = Role(body["role"])
        except ValueError:
            raise bad_request(
                "request.field.value",
                f"role must be one of {', '.join(r.value for r in Role)}",
                "M_INVALID_PARAM",
                field="role",
            ) from None
        if body["actor"] is None:
            changed = await self.service.set_role_as_admin(team_id, target, role)
        else:
            actor = check_user_id(body["actor"], "actor")
            before = await self.service.repository.role_of(team_id, target)
            await self.service.change_role(team_id, actor, target, role)
            changed = before is not role
        if changed:
            log.info("Team %s: %s is now %s", team_id, target, role.value)
        return web.json_response(
            {"team_id": team_id, "user_id": target, "role": role.value, "changed": changed}
        )
