"""The admin room's commands about rooms on both engines, with a stand-in homeserver: !depuis
ban/kick/mute on the join log (never our bots nor moderators; in one room or all), !demute,
!verrouiller and !deverrouiller (with the room's projection requested), !protection and
!protections, forgetting a watched list lifting only the bans no other rule holds, and counts
said in words (1 règle, aucun bannissement). (Against the real Synapse:
tests/integration/test_join_wave.py, test_moderation_admin.py.)"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bots.commands import CommandContext, CommandRegistry
from bots.moderation_commands import Admin, ban_applied, register_list_commands
from bots.moderation_room_commands import register_room_commands
from bots.moderation_services import ModerationServices
from bridge.db.clock import now_ms
from bridge.db.moderation_actions import ActionKind, ActionRequest
from bridge.db.policy import PolicyStore, RoomPurpose
from bridge.db.room_guard import RoomGuard
from bridge.db.spaces import SpaceRepository
from bridge.domain.moderation.policy import PolicyRule, RuleKey, RuleKind
from tests.db.test_moderation_alert_sender import (
    ADMIN_ROOM,
    APPSERVICE,
    BOT,
    MEMBER,
    MODERATOR,
    MODERATOR_2,
    POLICY_ROOM,
    TEAM_ROOM,
    World,
)
from tests.db.test_moderation_alert_sender import world as world  # the fixture

RAIDERS = ["@raid1:spam.example", "@raid2:spam.example"]


async def run(
    world: World,
    text: str,
    *,
    sender: str = MODERATOR,
    room: str = ADMIN_ROOM,
    moderation: ModerationServices | None = None,
) -> str:
    registry = CommandRegistry()
    admin = Admin(moderation or world.moderation, "localhost", registry)
    register_list_commands(admin)
    register_room_commands(admin)
    name, _, args = text.removeprefix("!").partition(" ")
    command = registry.find(name)
    assert command is not None, name
    reply = await command.handler(CommandContext(sender, room, "$cmd", args, "fr"))
    return reply.body


async def joined(world: World, room_id: str, *users: str) -> None:
    async with world.db.acquire() as conn:
        for user in users:
            await RoomGuard.record_join(conn, room_id, user, now_ms(), f"$join-{user}")


async def test_since_acts_on_recent_joiners_only(world: World) -> None:
    await joined(world, TEAM_ROOM, *RAIDERS, MODERATOR_2, BOT)
    await joined(world, "!root:localhost", RAIDERS[0])

    kicked = await run(world, "!depuis 10m kick")
    assert kicked.splitlines() == [
        "👢 2 comptes arrivés dans les salons de la campagne depuis 10 min sont expulsés des "
        "salons où ils sont arrivés :",
        *(f"• {user}" for user in RAIDERS),
    ]
    kicks = {
        (a.room_id, a.user_id) for u in RAIDERS for a in await world.moderation.actions.of_user(u)
    }
    assert kicks == {
        (TEAM_ROOM, RAIDERS[0]),
        (TEAM_ROOM, RAIDERS[1]),
        ("!root:localhost", RAIDERS[0]),
    }
    assert await world.moderation.actions.of_user(MODERATOR_2) == []

    muted = await run(world, f"!since 10m mute {world.team_id} flood")
    assert muted.startswith(f"🔇 2 comptes arrivés dans Croix-Rousse ({world.team_id}) depuis")
    assert await world.moderation.guard.muted(TEAM_ROOM) == set(RAIDERS)
    assert (
        await world.db.fetchval("SELECT COUNT(*) FROM room_sync WHERE team_id = $1", world.team_id)
        == 1
    )

    banned = await run(world, "!depuis 10m ban")
    assert "sont bannis de toute la campagne (raison : raid) :" in banned
    writes = world.api.state_writes()
    assert {body["entity"] for _, body in writes if body} == set(RAIDERS)
    assert all(body and body["reason"] == "raid" for _, body in writes)


async def test_since_refusals(world: World) -> None:
    assert (await run(world, "!depuis 10m")).splitlines()[0] == (
        "Il manque l'action après la durée : ban, kick ou mute."
    )
    unknown = (await run(world, "!depuis 10m kick #inconnu:localhost")).splitlines()
    assert unknown == [
        "Je ne trouve ni salon ni espace de la campagne pour « #inconnu:localhost » : donnez "
        "l'identifiant d'une équipe, root ou le code d'un département (69) pour un espace, ou "
        "l'adresse (#…:serveur), l'identifiant (!…:serveur) ou un lien matrix.to d'un salon "
        "d'équipe ou d'un espace.",
        "Écrivez : !depuis <durée> ban|kick|mute [salon] [raison], par exemple « !depuis 10m "
        "kick », « !depuis 2h ban #equipe:serveur spam » ou « !depuis 30 min mute ».",
    ]
    assert await run(world, "!depuis 10m kick") == (
        "Personne n'est arrivé dans les salons de la campagne depuis 10 min (hors comptes de la "
        "campagne et modérateurs)."
    )
    # Not a moderator; not in the admin room.
    assert (await run(world, "!depuis 10m kick", sender=MEMBER)).startswith(
        "Désolé, seuls les modérateurs"
    )
    assert (await run(world, "!depuis 10m kick", room=TEAM_ROOM)).startswith(
        "Cette commande ne fonctionne que dans le salon d'administration"
    )


async def test_lock_and_unlock(world: World) -> None:
    label = f"Croix-Rousse ({world.team_id})"
    assert await run(world, f"!verrouiller {world.team_id}") == (
        f"🔒 {label} est verrouillé : on n'y entre plus que sur invitation."
    )
    lockdown = await world.moderation.guard.lockdown(TEAM_ROOM)
    assert lockdown is not None and lockdown.locked_by == MODERATOR
    assert (
        await run(world, f"!lock https://matrix.to/#/{TEAM_ROOM}")
        == f"{label} est déjà verrouillé."
    )
    assert await run(world, f"!deverrouiller {TEAM_ROOM}") == f"🔓 {label} est déverrouillé."
    assert await world.moderation.guard.lockdown(TEAM_ROOM) is None
    assert await run(world, f"!unlock {world.team_id}") == f"{label} n'est pas verrouillé."
    assert (await run(world, "!verrouiller")).splitlines()[0] == "Il manque le salon."

    # With campaign.allow_knock, a locked team room still lets people ask to join.
    knocking = replace(world.moderation, allow_knock=True)
    assert await run(world, f"!lock {world.team_id}", moderation=knocking) == (
        f"🔒 {label} est verrouillé : on n'y entre plus que sur invitation ou sur demande acceptée."
    )


async def test_a_space_is_locked_and_unlocked_by_its_join_rule(world: World) -> None:
    spaces = SpaceRepository(world.db)
    await spaces.save("root", "!root:localhost")
    await spaces.save("69", "!space69:localhost")
    await spaces.save("2A", "!space2a:localhost")
    knocking = replace(world.moderation, allow_knock=True)  # never for a space

    assert await run(world, "!verrouiller !space69:localhost", moderation=knocking) == (
        "🔒 69 est verrouillé : on n'y entre plus que sur invitation."
    )
    assert await run(world, "!deverrouiller 69") == "🔓 69 est déverrouillé."
    # Named by its key, in any case.
    assert await run(world, "!lock 2a") == (
        "🔒 2A est verrouillé : on n'y entre plus que sur invitation."
    )
    assert await world.moderation.guard.lockdown("!space2a:localhost") is not None

    path = "/_matrix/client/v3/rooms/%21space69%3Alocalhost/state/m.room.join_rules/"
    assert world.api.state_writes()[:2] == [
        (path, {"join_rule": "invite"}),
        (
            path,
            {
                "join_rule": "restricted",
                "allow": [{"type": "m.room_membership", "room_id": "!root:localhost"}],
            },
        ),
    ]
    assert await world.moderation.guard.lockdown("!space69:localhost") is None


async def test_protection_switches(world: World) -> None:
    label = f"Croix-Rousse ({world.team_id})"
    assert await run(world, "!protection mentions off") == (
        "🛡️ mentions (mentions en masse) : désactivée partout."
    )
    assert await run(world, f"!protection mentions on {world.team_id}") == (
        f"🛡️ mentions (mentions en masse) : activée dans {label}."
    )
    shown = (await run(world, "!protections")).splitlines()
    assert shown[0].startswith("🛡️ Protections")
    assert f"• mentions (mentions en masse) : désactivée — sauf : {label} (activée)" in shown
    assert "• words (mots interdits) : activée" in shown
    assert await run(world, "!protection mentions defaut") == (
        "🛡️ mentions (mentions en masse) : réglage par défaut partout (maintenant activée)."
    )
    assert (await run(world, "!protection flood on")).splitlines()[0] == (
        "Je ne connais pas la protection « flood »."
    )


async def test_forgetting_a_watched_list_lifts_only_its_own_bans(world: World) -> None:
    watched = "!community:elsewhere.org"
    policy = world.moderation.policy
    await policy.set_room(RoomPurpose.WATCHED, watched, alias="#bans:elsewhere.org", added_by=None)

    def rule(list_id: str, entity: str) -> PolicyRule:
        return PolicyRule(
            RuleKey(list_id, "m.policy.rule.user", f"rule:{entity}"),
            RuleKind.USER,
            entity,
            "m.ban",
            "spam",
            APPSERVICE,
            now_ms(),
        )

    only_watched, both = rule(watched, "@spam:spam.example"), rule(watched, "@both:spam.example")
    ours = rule(POLICY_ROOM, "@both:spam.example")
    async with world.db.acquire() as conn:
        for each in (only_watched, both, ours):
            await PolicyStore.put_rule(conn, each)
        await PolicyStore.record_ban(conn, TEAM_ROOM, "@spam:spam.example", only_watched.key)
        await PolicyStore.record_ban(conn, TEAM_ROOM, "@both:spam.example", both.key)

    assert await run(world, f"!nepplussurveiller {watched}") == (
        "Je ne surveille plus #bans:elsewhere.org : 2 règles oubliées, 1 bannissement levé."
    )
    [unban] = await world.moderation.actions.of_user("@spam:spam.example")
    assert unban.kind is ActionKind.UNBAN and unban.room_id == TEAM_ROOM
    assert await world.moderation.actions.of_user("@both:spam.example") == []
    assert await policy.banned_rooms("@both:spam.example") == [TEAM_ROOM]  # now our list's ban
    assert await policy.rules(watched) == []
    assert await policy.purpose_of(watched) is None


async def test_forgetting_lists_counts_in_words(world: World) -> None:
    policy = world.moderation.policy
    for list_id in ("!empty:elsewhere.org", "!one:elsewhere.org"):
        await policy.set_room(RoomPurpose.WATCHED, list_id, alias=None, added_by=None)
    async with world.db.acquire() as conn:
        await PolicyStore.put_rule(
            conn,
            PolicyRule(
                RuleKey("!one:elsewhere.org", "m.policy.rule.user", "rule:@x:spam.example"),
                RuleKind.USER,
                "@x:spam.example",
                "m.ban",
                "spam",
                APPSERVICE,
                now_ms(),
            ),
        )
    assert (await run(world, "!unwatch !empty:elsewhere.org")).endswith(
        " : aucune règle oubliée, aucun bannissement levé."
    )
    assert (await run(world, "!unwatch !one:elsewhere.org")).endswith(
        " : 1 règle oubliée, aucun bannissement levé."
    )


async def test_ban_follow_up_counts_the_rooms_in_words(world: World) -> None:
    actions = world.moderation.actions
    troll = "@troll:spam.example"
    started = now_ms()

    async def bans(*outcomes: bool) -> None:
        rooms = [TEAM_ROOM, "!other:localhost", "!third:localhost"][: len(outcomes)]
        await actions.enqueue(
            ActionRequest(room, troll, ActionKind.BAN, reason="spam", cause="test")
            for room in rooms
        )
        due = {action.room_id: action for action in await actions.due()}
        for room, done in zip(rooms, outcomes, strict=True):
            if done:
                await actions.done([due[room].id])
            else:
                await actions.failed(due[room], "M_FORBIDDEN", permanent=True)

    await bans(True, False)
    reply = await ban_applied(world.moderation, troll, started, "fr", timeout=5)
    assert reply is not None and reply.body == (
        f"⚠️ {troll} est banni de 1 salon ; 1 a refusé : !other:localhost."
    )

    started = now_ms() + 1
    await asyncio.sleep(0.01)
    await bans(False, False, True)
    reply = await ban_applied(world.moderation, troll, started, "en", timeout=5)
    assert reply is not None and reply.body == (
        f"⚠️ {troll} is banned from 1 room; 2 refused: !other:localhost, "
        f"Croix-Rousse ({world.team_id})."
    )


async def test_demute_gives_the_voice_back(world: World) -> None:
    label = f"Croix-Rousse ({world.team_id})"
    await joined(world, TEAM_ROOM, *RAIDERS)
    await run(world, "!depuis 10m mute")
    await world.db.execute("DELETE FROM room_sync")  # the projector took the voices

    assert await run(world, f"!demute {RAIDERS[0]}") == (
        f"🔊 {RAIDERS[0]} peut de nouveau écrire dans :\n• {label}"
    )
    assert await world.moderation.guard.muted(TEAM_ROOM) == {RAIDERS[1]}
    pending = await world.db.fetchval(
        "SELECT COUNT(*) FROM room_sync WHERE team_id = $1", world.team_id
    )
    assert pending == 1  # the projector gives the voice back

    # Named room; English alias.
    assert await run(world, f"!unmute {RAIDERS[1]} {world.team_id}") == (
        f"🔊 {RAIDERS[1]} peut de nouveau écrire dans :\n• {label}"
    )
    assert await world.moderation.guard.muted(TEAM_ROOM) == set()


async def test_demute_refusals(world: World) -> None:
    usage = (
        "Écrivez : !demute <@compte:serveur> [salon], par exemple « !demute @marie:exemple.org » "
        "(dans tous les salons d'équipe où elle est muette) ou « !demute @marie:exemple.org "
        "equipe-croix-rousse-3fa2c1 »."
    )
    assert (await run(world, f"!demute {RAIDERS[0]}")).splitlines() == [
        f"{RAIDERS[0]} n'est muet dans aucun salon d'équipe.",
        usage,
    ]
    await joined(world, TEAM_ROOM, RAIDERS[0])
    await run(world, "!depuis 10m mute")
    await SpaceRepository(world.db).save("root", "!root:localhost")
    assert (await run(world, f"!demute {RAIDERS[0]} root")).splitlines() == [
        f"{RAIDERS[0]} n'est pas muet dans root.",
        usage,
    ]
    assert (await run(world, "!demute")).splitlines() == [
        "Il manque le compte à qui rendre la parole.",
        usage,
    ]
    assert (await run(world, "!demute troll")).splitlines()[0] == (
        "« troll » n'est pas un identifiant Matrix : écrivez @nom:serveur, ou mentionnez la "
        "personne."
    )
    assert (await run(world, f"!demute {RAIDERS[0]} #nowhere:localhost")).startswith(
        "Je ne trouve ni salon ni espace de la campagne pour « #nowhere:localhost »"
    )
    assert (await run(world, f"!demute {RAIDERS[0]}", sender=MEMBER)).startswith(
        "Désolé, seuls les modérateurs"
    )
    assert await world.moderation.guard.muted(TEAM_ROOM) == {RAIDERS[0]}  # still muted
