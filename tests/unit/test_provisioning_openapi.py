"""docs/provisioning-openapi.yaml describes exactly the routes the provisioning API serves."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import yaml

from bridge.domain.supporters import SupporterService
from bridge.domain.teams import TeamService
from bridge.provisioning import PREFIX, provisioning_app

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "provisioning-openapi.yaml"
METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def served_routes() -> set[tuple[str, str]]:
    nothing = cast(Any, None)
    supporters = SupporterService(nothing, nothing, nothing)
    app = provisioning_app(TeamService(nothing), supporters, "a-secret-for-this-test")
    routes = set()
    for route in app.router.routes():
        assert route.resource is not None
        routes.add((route.method.lower(), route.resource.canonical))
    return routes


def documented_routes(spec: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method, path)
        for path, item in spec["paths"].items()
        for method in item
        if method in METHODS
    }


def test_every_route_is_documented_and_every_documented_route_is_served() -> None:
    spec = yaml.safe_load(OPENAPI.read_text())
    assert spec["openapi"].startswith("3.1")
    assert [server["url"] for server in spec["servers"]] == [PREFIX]
    assert documented_routes(spec) == served_routes()


def test_every_operation_documents_the_auth_errors_and_its_path_parameters() -> None:
    spec = yaml.safe_load(OPENAPI.read_text())
    assert spec["security"] == [{"bearer": []}]
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for path, item in spec["paths"].items():
        names = {
            (p.get("name") or p["$ref"].rsplit("/", 1)[-1].replace("TeamId", "team_id"))
            for p in item.get("parameters", [])
        }
        assert names == {part[1:-1] for part in path.split("/") if part.startswith("{")}, path
        for method, operation in item.items():
            if method in METHODS:
                assert {"401", "403"} <= set(operation["responses"]), (method, path)
