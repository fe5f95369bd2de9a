"""What the welcome bot shows a supporter about themself (``!moi``) and after ``!oublie-moi``."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bridge.domain.person_data import ErasureReport
from bridge.domain.roles import Role

from .commands import Reply
from .i18n import Language, format_time_range, role_name, translate, translate_count


def profile_reply(profile: dict[str, Any], language: Language) -> Reply:
    """``!moi``: the person's own address, where they act, their teams and their RSVPs."""
    if not profile["linked"]:
        return Reply(translate("me.not_linked", language))
    lines = [translate("me.email", language, email=profile["email"])]
    if profile["name"]:
        lines.append(translate("me.name", language, name=profile["name"]))
    home = profile["home"]
    if home:
        place = " ".join(part for part in (home["commune"], home["postcode"]) if part)
        lines.append(translate("me.home", language, place=place))
    teams = profile["teams"]
    if teams:
        lines.append(translate("me.teams", language))
        for team in teams:
            role = role_name(Role(team["role"]), language)
            lines.append(f"• {team['name']} ({role})")
    for rsvp in profile["rsvps"]:
        when = format_time_range(
            rsvp["start_at"], rsvp["end_at"], ZoneInfo(rsvp["timezone"]), language
        )
        lines.append(translate("me.rsvp", language, title=rsvp["title"], when=when))
    lines.append(translate("me.footer", language))
    return Reply("\n".join(lines))


def erasure_reply(report: ErasureReport, language: Language) -> Reply:
    """``!oublie-moi`` confirmed: each kind of data erased, and the rooms left."""
    if not report.anything:
        return Reply(translate("supporter.erased.nothing", language))
    lines = [translate("forget.done", language)]
    lines += [
        "• " + translate_count(f"supporter.erased.{kind}", count, language)
        for kind, count in report.erased().items()
        if count
    ]
    if report.teams:
        names = ", ".join(team.name for team in report.teams)
        lines.append(translate("forget.left_rooms", language, teams=names))
    lines.append(translate("forget.footer", language))
    return Reply("\n".join(lines))
