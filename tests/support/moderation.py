"""Moderation in integration tests: make a test user a moderator, find the moderation rooms.

:func:`make_moderator` runs the code ``ralliement admin moderation add-moderator`` runs, then
has the user join the admin room and the policy list, as a moderator does in Element.
"""

from __future__ import annotations

from nio import JoinResponse

from bridge.db.policy import RoomPurpose
from ralliement.admin.moderation import add_moderator, open_moderation
from ralliement.devstack.stack import DevStack
from tests.support.homeserver import stack_config
from tests.support.matrix_user import MatrixUser


async def make_moderator(stack: DevStack, user: MatrixUser, *, admin: bool = False) -> str:
    """Make ``user`` a moderator (power 50; 100 with ``admin``) of the stack's admin room and
    policy list, joined to both; returns the admin room's id."""
    await add_moderator(stack_config(stack), user.user_id, admin=admin)
    admin_room = await admin_room_id(stack)
    for room_id in (admin_room, await policy_list_id(stack)):
        response = await user.client.join(room_id)
        assert isinstance(response, JoinResponse), response
    await user.wait_until(lambda: admin_room in user.client.rooms)
    return admin_room


async def admin_room_id(stack: DevStack) -> str:
    """The stack's moderation admin room (made by the appservice at start)."""
    return await _room(stack, RoomPurpose.ADMIN)


async def policy_list_id(stack: DevStack) -> str:
    """The campaign's policy list (ban list) of the stack."""
    return await _room(stack, RoomPurpose.POLICY)


async def _room(stack: DevStack, purpose: RoomPurpose) -> str:
    async with open_moderation(stack_config(stack)) as (rooms, _):
        return await rooms.ensure_room(purpose)
