"""``ralliement bridge --reconcile``: check every team room against the database, once."""

from __future__ import annotations

from ralliement.config import Config

from .rooms import open_room_projection


async def reconcile(config: Config) -> int:
    """Repair every team room's drift and print what was fixed; exit code 0, 1 if any failed."""
    failures = 0
    repaired = 0
    async with open_room_projection(config) as rooms:
        teams = await rooms.teams.list_teams(include_archived=True)
        for team in teams:
            try:
                fixes = await rooms.projector.sync(team.id)
            except Exception as error:
                failures += 1
                print(f"{team.id}: FAILED — {type(error).__name__}: {error}")
                continue
            repaired += bool(fixes)
            for fix in fixes:
                print(f"{team.id}: {fix}")
    print(
        f"Checked {len(teams)} team rooms: {repaired} repaired, "
        f"{len(teams) - repaired - failures} already right, {failures} failed."
    )
    return 1 if failures else 0
