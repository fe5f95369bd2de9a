"""Domain refusals in English for admins: what was refused, and how to fix it.

The bots translate the same keys for supporters in ``bots/i18n.py``; admins read the CLI and the
provisioning API, whose text is English. One table, :data:`MESSAGES`, one function,
:func:`admin_message`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bridge.domain.errors import DomainError

Params = Mapping[str, Any]


def _listed(items: Any) -> str:
    return ", ".join(str(item) for item in items or ())


def _unknown_place(params: Params) -> str:
    text = f"no commune matches {params.get('place', '')!r}"
    if params.get("suggestions"):
        text += f" (did you mean: {_listed(params['suggestions'])}?)"
    return text + "; write a postcode such as 69003 or the commune's exact name"


def _ambiguous_place(params: Params) -> str:
    return (
        f"{params.get('place', '')!r} names several communes: {_listed(params.get('candidates'))}"
        "; write one of them as shown (the commune and its postcode) or the postcode alone"
    )


MESSAGES: Mapping[str, Callable[[Params], str]] = {
    "team.name.length": lambda p: (
        f"the team name must be {p.get('min', 3)} to {p.get('max', 80)} characters long"
        " (spaces collapsed); shorten or complete it"
    ),
    "team.avatar.invalid": lambda p: (
        f"the avatar {p.get('url', '')!r} is not an mxc:// URI; upload the image to the "
        "homeserver first and give its mxc://server/id"
    ),
    "team.kind.invalid": lambda p: (
        f"the kind {p.get('kind', '')!r} is unknown; write local or thematic"
    ),
    "team.place.required": lambda p: (
        "a local team needs a place; give its postcode or commune, or make it thematic"
    ),
    "place.unknown": _unknown_place,
    "place.ambiguous": _ambiguous_place,
    "team.create.quota": lambda p: (
        f"this supporter already leads {p.get('limit', 3)} teams created in the last"
        f" {p.get('hours', 24)} hours; an admin door creates it without that limit"
    ),
    "team.not_found": lambda p: (
        f"there is no team {p.get('team', '')!r}; list the teams with `ralliement admin team list`"
    ),
    "team.archived": lambda p: (
        f"the team {p.get('team', '')!r} is archived; it can no longer be changed"
    ),
    "team.not_member": lambda p: (
        f"the acting user is not a member of the team {p.get('team', '')!r}; leave the actor out"
        " to act as admin"
    ),
    "team.member.not_found": lambda p: (
        f"{p.get('user', 'this user')} is not a member of the team {p.get('team', '')!r};"
        " they must join its room first"
    ),
    "team.no_team_here": lambda p: "this room is not a team room",
    "team.role.not_allowed": lambda p: (
        "the acting user may only change the role of members below their own role"
    ),
    "team.role.self_change": lambda p: "members cannot raise their own role",
    "team.role.referent_only": lambda p: (
        f"only a referent may make someone {p.get('role', 'manager')}"
    ),
    "team.role.too_many_referents": lambda p: (
        f"a team has at most {p.get('limit', 2)} referents; demote one of them first"
    ),
    "team.role.last_referent": lambda p: (
        "this is the team's only referent; make someone else referent first"
    ),
    "team.leave.last_referent": lambda p: (
        "the team's only referent cannot leave; make someone else referent first"
    ),
    "supporter.email.invalid": lambda p: (
        f"{p.get('email', '')!r} is not an email address; write one address such as"
        " alice@example.org (no name, no spaces)"
    ),
    "supporter.postcode.invalid": lambda p: (
        f"{p.get('postcode', '')!r} is not a French postcode; write its 5 digits, e.g. 69003,"
        " or leave the cell empty"
    ),
    "supporter.name.length": lambda p: (
        f"the name is longer than {p.get('max', 120)} characters; shorten it"
    ),
    "supporter.unknown": lambda p: (
        "this address is not in the supporter list; import it"
        " (`ralliement admin supporters import`) or set joining.open to true"
    ),
    "supporter.linked_elsewhere": lambda p: (
        "this address is already linked to another Matrix account; export the person"
        " (`ralliement admin person export`) to see which"
    ),
    "supporter.already_linked": lambda p: (
        "this Matrix account is already linked to another address"
    ),
    "supporter.not_linked": lambda p: "this Matrix account is not linked to any supporter",
    "supporter.not_found": lambda p: (
        f"nothing is stored about {p.get('who', '')!r}: no supporter has this address or Matrix"
        " ID, and no team, RSVP, code or joining conversation names it"
    ),
    "supporter.language.invalid": lambda p: (
        f"the language {p.get('language', '')!r} is not available; write"
        f" {p.get('languages', 'fr, en')}"
    ),
}


def admin_message(error: DomainError) -> str:
    """The English text of a refusal, for an admin: the reason and the fix, no final period."""
    render = MESSAGES.get(error.key)
    if render is None:
        details = ", ".join(f"{name}={value!r}" for name, value in error.params.items())
        return f"refused ({error.key}{': ' + details if details else ''})"
    return render(error.params)
