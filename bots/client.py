"""One bot: a matrix-nio E2EE client on its own cross-signed device, answering declared commands.

Sync callbacks only enqueue work; a worker task answers, so a slow or failing reply never stalls
the sync loop, and one misbehaving room or user never kills the bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    EncryptionError,
    InviteMemberEvent,
    LocalProtocolError,
    MatrixRoom,
    MegolmEvent,
    ReactionEvent,
    RedactionEvent,
    RoomGetEventResponse,
    RoomMemberEvent,
    RoomMessage,
    RoomMessageText,
    RoomMessageUnknown,
    StickerEvent,
    SyncError,
)

from ralliement.matrix_text import strip_reply_fallback

from .arguments import mentioned_users
from .bot_hooks import (
    BackgroundTask,
    BotIdentity,
    CommandScope,
    ConversationHandler,
    DirectRoomFinder,
    MessageWatcher,
    ReactionHandler,
    replied_event,
)
from .commands import (
    CommandContext,
    CommandRegistry,
    Reply,
    parse_command,
)
from .crosssign import CrossSigningKeys, ensure_cross_signed
from .dispatch import run_command
from .homeserver_api import HomeserverAPI
from .i18n import Language, translate
from .session import BotFolder, DeviceSession, open_device_session

SYNC_TIMEOUT_MS = 30_000
# A message can arrive before its room key (sent to-device, possibly in a later sync): wait this
# long for the key before telling the sender we cannot read their message.
LATE_KEY_WAIT_S = 5.0
# How long an answer meant for the sender's DM waits for that DM to be made and synced before
# it is given in the room instead.
DIRECT_ROOM_WAIT_S = 30.0
DIRECT_ROOM_POLL_S = 0.5


class BotClient:
    """A running bot; ``start()`` logs in, cross-signs and syncs; ``stop()`` ends it."""

    def __init__(
        self,
        identity: BotIdentity,
        *,
        homeserver: str,
        domain: str,
        api: HomeserverAPI,
        folder: BotFolder,
        pickle_key: str,
        registry: CommandRegistry,
        language: Language,
        greeting: Callable[[Language], Reply] | None = None,
        direct_only: bool = False,
        quiet_in_groups: bool = False,
        reactions: ReactionHandler | None = None,
        background: tuple[BackgroundTask, ...] = (),
        conversation: ConversationHandler | None = None,
        watcher: MessageWatcher | None = None,
        command_scope: CommandScope | None = None,
        others_commands: frozenset[str] = frozenset(),
        direct_rooms: DirectRoomFinder | None = None,
    ) -> None:
        """``others_commands``: commands of the other bots that share group rooms with this one;
        in a group room this bot does not call them unknown. ``direct_rooms``: the DM finder
        for the answers given in private (:attr:`bots.commands.Reply.privately`)."""
        self.identity = identity
        self.homeserver = homeserver
        self.domain = domain
        self.api = api
        self.folder = folder
        self.pickle_key = pickle_key
        self.registry = registry
        self.language = language
        self.greeting = greeting
        self.direct_only = direct_only
        self.quiet_in_groups = quiet_in_groups
        self.reactions = reactions
        self.background = background
        self.conversation = conversation
        self.watcher = watcher
        self.command_scope = command_scope
        self.others_commands = others_commands
        self.direct_rooms = direct_rooms
        # One DM looked up or made at a time: two private answers to one person make one DM.
        self._direct_room_lock = asyncio.Lock()
        self.log = logging.getLogger(f"bots.{identity.name}")
        self.client: AsyncClient | None = None
        self.session: DeviceSession | None = None
        self._work: asyncio.Queue[Callable[[], Awaitable[None]]] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._waiting_for_keys: set[asyncio.Task[None]] = set()
        self._follow_ups: set[asyncio.Task[None]] = set()

    @property
    def device_id(self) -> str:
        assert self.session is not None
        return self.session.device_id

    async def start(self) -> None:
        user_id = self.identity.user_id
        await self.api.ensure_registered(user_id.split(":", 1)[0][1:])
        self.session = await open_device_session(
            self.api, self.folder, user_id, self.identity.displayname
        )
        self.folder.crypto_dir.mkdir(parents=True, exist_ok=True)
        client = AsyncClient(
            self.homeserver,
            user_id,
            device_id=self.session.device_id,
            store_path=str(self.folder.crypto_dir),
            config=AsyncClientConfig(
                encryption_enabled=True, store_sync_tokens=True, pickle_key=self.pickle_key
            ),
        )
        client.restore_login(user_id, self.session.device_id, self.session.access_token)
        self.client = client
        if client.should_upload_keys:
            await client.keys_upload()
        keys = CrossSigningKeys.load_or_create(self.folder.cross_signing_file)
        await ensure_cross_signed(
            self.api, keys, user_id, self.session.device_id, self.session.access_token
        )
        await self._set_displayname()
        if not client.loaded_sync_token:
            # First run on this device: skip the history, answer only what comes next.
            await self._checked_sync(client.sync(timeout=0, full_state=True))
        client.add_event_callback(self._on_invite, InviteMemberEvent)
        client.add_event_callback(self._on_member, RoomMemberEvent)
        client.add_event_callback(self._on_text, RoomMessageText)
        client.add_event_callback(self._on_undecryptable, MegolmEvent)
        if self.conversation is not None:
            client.add_event_callback(self._on_location, RoomMessageUnknown)
        if self.watcher is not None:
            client.add_event_callback(self._on_any_message, (RoomMessage, StickerEvent))
        if self.reactions is not None:
            client.add_event_callback(self._on_reaction, ReactionEvent)
            client.add_event_callback(self._on_redaction, RedactionEvent)
        self._tasks = [
            asyncio.create_task(self._sync_forever(), name=f"{self.identity.name}-sync"),
            asyncio.create_task(self._answer_forever(), name=f"{self.identity.name}-worker"),
            *(
                asyncio.create_task(self._keep_running(task), name=f"{self.identity.name}-bg")
                for task in self.background
            ),
        ]
        self.log.info("%s ready on device %s", user_id, self.session.device_id)

    async def stop(self) -> None:
        tasks = [*self._tasks, *self._waiting_for_keys, *self._follow_ups]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        self._waiting_for_keys.clear()
        self._follow_ups.clear()
        if self.client is not None:
            await self.client.close()

    async def _checked_sync(self, sync: Awaitable[object]) -> None:
        response = await sync
        if isinstance(response, SyncError):
            raise RuntimeError(f"{self.identity.user_id}: sync failed: {response.message}")

    async def _set_displayname(self) -> None:
        assert self.client is not None
        current = await self.client.get_displayname()
        if getattr(current, "displayname", None) != self.identity.displayname:
            await self.client.set_displayname(self.identity.displayname)

    async def _sync_forever(self) -> None:
        assert self.client is not None
        delay = 1.0
        while True:
            try:
                await self.client.sync_forever(timeout=SYNC_TIMEOUT_MS, full_state=True)
            except asyncio.CancelledError:
                raise
            except Exception:
                self.log.exception("Sync loop failed; restarting in %.0f s", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)

    async def _keep_running(self, task: BackgroundTask) -> None:
        delay = 1.0
        while True:
            try:
                await task(self)
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                self.log.exception("A background task failed; restarting in %.0f s", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)

    async def _answer_forever(self) -> None:
        while True:
            job = await self._work.get()
            try:
                await job()
            except asyncio.CancelledError:
                raise
            except Exception:
                self.log.exception("A reply failed")

    # Sync callbacks: they only enqueue.

    async def _on_invite(self, room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key != self.identity.user_id or event.membership != "invite":
            return
        if event.sender.split(":", 1)[-1] != self.domain:
            self.log.info("Ignoring invite to %s from remote user %s", room.room_id, event.sender)
            return
        self._work.put_nowait(lambda: self._join(room.room_id, event.sender))

    async def _on_member(self, room: MatrixRoom, event: RoomMemberEvent) -> None:
        if self.watcher is not None and event.sender != self.identity.user_id:
            self._work.put_nowait(partial(self.watcher.member, self, room, event.source))
        # Greet in a DM only: the invite of a DM says so (``is_direct``, set by the client that
        # created it). Team rooms, which the appservice joins the bots to, are not greeted.
        joined_dm_now = (
            event.state_key == self.identity.user_id
            and event.membership == "join"
            and event.prev_membership == "invite"
            and (event.prev_content or {}).get("is_direct") is True
        )
        if joined_dm_now and self.greeting is not None and room.member_count <= 2:
            greeting = self.greeting(self.language)
            self._work.put_nowait(lambda: self._send(room.room_id, greeting, key=event.event_id))

    async def _on_text(self, room: MatrixRoom, event: RoomMessageText) -> None:
        if event.sender == self.identity.user_id:
            return
        self._work.put_nowait(lambda: self._answer(room, event))

    async def _on_any_message(self, room: MatrixRoom, event: RoomMessage | StickerEvent) -> None:
        if event.sender == self.identity.user_id or self.watcher is None:
            return
        self._work.put_nowait(partial(self.watcher.message, self, room, event.source))

    async def _on_location(self, room: MatrixRoom, event: RoomMessageUnknown) -> None:
        content = event.source.get("content", {})
        if event.sender == self.identity.user_id or content.get("msgtype") != "m.location":
            return
        location = content.get("org.matrix.msc3488.location") or {}
        geo_uri = str(location.get("uri") or content.get("geo_uri") or "")
        self._work.put_nowait(lambda: self._converse(room, event.sender, event.event_id, geo_uri))

    async def _converse(self, room: MatrixRoom, sender: str, event_id: str, text: str) -> None:
        """A shared location, answered by the conversation (which says if it lacks a place)."""
        if self.conversation is None or room.member_count > 2:
            return
        context = CommandContext(sender, room.room_id, event_id, text, self.language)
        reply = await self.conversation(context, text or "geo:")
        if reply is not None:
            await self._send(room.room_id, reply, key=event_id, in_reply_to=event_id)

    async def _on_reaction(self, room: MatrixRoom, event: ReactionEvent) -> None:
        if event.sender == self.identity.user_id or self.reactions is None:
            return
        handler = self.reactions
        self._work.put_nowait(
            partial(
                handler.reacted,
                self,
                room.room_id,
                event.sender,
                event.event_id,
                event.reacts_to,
                event.key,
            )
        )

    async def _on_redaction(self, room: MatrixRoom, event: RedactionEvent) -> None:
        if event.sender == self.identity.user_id or self.reactions is None:
            return
        handler = self.reactions
        self._work.put_nowait(
            partial(handler.redacted, self, room.room_id, event.sender, event.redacts)
        )

    async def _on_undecryptable(self, room: MatrixRoom, event: MegolmEvent) -> None:
        if event.sender == self.identity.user_id:
            return
        # Waiting for a late key must not hold up the answers to other messages.
        task = asyncio.create_task(self._await_late_key(room, event))
        self._waiting_for_keys.add(task)
        task.add_done_callback(self._waiting_for_keys.discard)

    # Work.

    async def _join(self, room_id: str, inviter: str) -> None:
        assert self.client is not None
        self.log.info("Invited to %s by %s: joining", room_id, inviter)
        await self.client.join(room_id)

    async def _answer(self, room: MatrixRoom, event: RoomMessageText) -> None:
        group_room = room.member_count > 2
        if group_room and self.direct_only:
            return
        content = event.source.get("content", {})
        reply_to = replied_event(content)
        parsed = parse_command(strip_reply_fallback(event.body) if reply_to else event.body)
        language = self.language
        if parsed is None:
            if group_room:
                return  # Conversation in a group room: not for us.
            answered = None
            if self.conversation is not None:
                context = CommandContext(
                    event.sender, room.room_id, event.event_id, event.body, language
                )
                answered = await self.conversation(context, event.body)
            reply = answered or Reply(translate("command.not_a_command", language))
        elif (command := self.registry.find(parsed.name)) is None:
            if group_room and (self.quiet_in_groups or parsed.name in self.others_commands):
                return  # Another bot's command, in a room several bots share.
            reply = self.registry.unknown(parsed.name, language)
        elif (
            group_room
            and self.command_scope is not None
            and not await self.command_scope(room.room_id, command.name)
        ):
            return  # Not this bot's business in this room.
        else:
            context = CommandContext(
                event.sender,
                room.room_id,
                event.event_id,
                parsed.args,
                language,
                mentions=mentioned_users(content, exclude=[self.identity.user_id]),
                names={user_id: user.name for user_id, user in room.users.items()},
                reply_to=reply_to,
                read_event=partial(self.read_event, room.room_id),
            )
            reply = await run_command(command, context, self.log)
        if reply.privately is not None and group_room and self.direct_rooms is not None:
            # Finding or making the DM may wait for a sync: not on the worker.
            self._in_background(
                self.answer_privately(room.room_id, event.event_id, event.sender, reply),
                f"{self.identity.name}-private-{event.event_id}",
            )
        else:
            if reply.privately is not None and not group_room:
                reply = reply.privately  # A DM is private already.
            await self._send(room.room_id, reply, key=event.event_id, in_reply_to=event.event_id)
        if reply.follow_up is not None:
            self._in_background(
                self._follow_up(room.room_id, event.event_id, reply.follow_up),
                f"{self.identity.name}-follow-up-{event.event_id}",
            )

    def _in_background(self, work: Awaitable[None], name: str) -> None:
        """Finish a command's answer in a task kept until it ends (cancelled by ``stop``)."""
        task = asyncio.ensure_future(work)
        task.set_name(name)
        self._follow_ups.add(task)
        task.add_done_callback(self._follow_ups.discard)

    async def answer_privately(
        self, room_id: str, event_id: str, sender: str, reply: Reply
    ) -> None:
        """Give ``reply.privately`` to ``sender`` in their DM with the bot (the one remembered,
        else one they have, else a new one: :class:`DirectRoomFinder`), and nothing in the room.
        If no DM is ready within :data:`DIRECT_ROOM_WAIT_S`, or sending there fails, ``reply``
        is given in the room, in reply to the command, as any answer."""
        assert reply.privately is not None and self.direct_rooms is not None
        private = reply.privately
        deadline = asyncio.get_running_loop().time() + DIRECT_ROOM_WAIT_S
        direct_room = None
        while True:
            try:
                async with self._direct_room_lock:
                    direct_room = await self.direct_rooms.direct_room(self, sender)
            except asyncio.CancelledError:
                raise
            except Exception:
                self.log.exception("No DM with %s for the answer to %s", sender, event_id)
                break
            if direct_room is not None or asyncio.get_running_loop().time() >= deadline:
                break
            await asyncio.sleep(DIRECT_ROOM_POLL_S)

        async def deliver() -> None:
            if direct_room is not None:
                try:
                    await self._send(direct_room, private, key=f"{event_id}/private")
                    return
                except Exception:
                    self.log.exception("The answer to %s in the DM %s failed", event_id,
                                       direct_room)  # fmt: skip
            self.log.info("Answering %s in %s: no DM with %s", event_id, room_id, sender)
            await self._send(room_id, reply, key=event_id, in_reply_to=event_id)

        self._work.put_nowait(deliver)

    async def _follow_up(
        self, room_id: str, event_id: str, work: Callable[[], Awaitable[Reply | None]]
    ) -> None:
        """Finish a command in the background; its reply is sent by the worker, like the others."""
        try:
            reply = await work()
        except asyncio.CancelledError:
            raise
        except Exception:
            self.log.exception("The follow-up of %s in %s failed", event_id, room_id)
            return
        if reply is not None:
            send = partial(
                self._send, room_id, reply, key=f"{event_id}/follow-up", in_reply_to=event_id
            )
            self._work.put_nowait(send)

    async def _await_late_key(self, room: MatrixRoom, event: MegolmEvent) -> None:
        """Decrypt once the key arrives; if it does not come in time, ask for it and explain."""
        assert self.client is not None
        deadline = asyncio.get_running_loop().time() + LATE_KEY_WAIT_S
        while asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.5)
            try:
                decrypted = self.client.decrypt_event(event)
            except EncryptionError:
                continue
            if isinstance(decrypted, RoomMessageText):
                self.log.info("Key for %s arrived late; answering", event.event_id)
                self._work.put_nowait(partial(self._answer, room, decrypted))
            if self.watcher is not None and isinstance(decrypted, RoomMessage | StickerEvent):
                self._work.put_nowait(partial(self.watcher.message, self, room, decrypted.source))
            return
        self._work.put_nowait(lambda: self._explain_undecryptable(room, event))

    async def _explain_undecryptable(self, room: MatrixRoom, event: MegolmEvent) -> None:
        assert self.client is not None
        self.log.warning(
            "Cannot decrypt %s from %s in %s (session %s)",
            event.event_id,
            event.sender,
            room.room_id,
            event.session_id,
        )
        with contextlib.suppress(LocalProtocolError):
            await self.client.request_room_key(event)
        if not await self._explains_in(room):
            return  # Several bots share the room: the one that is not quiet explains, once.
        await self._send(
            room.room_id,
            Reply(translate("decrypt.failed", self.language)),
            key=event.event_id,
            in_reply_to=event.event_id,
        )

    async def _explains_in(self, room: MatrixRoom) -> bool:
        """Whether this bot tells the sender it cannot decrypt their message in ``room``: in a DM,
        yes; in a group room, unless it is ``quiet_in_groups`` (it shares team rooms with the
        agenda bot, which explains) and its command scope does not give it ``!aide`` there (the
        moderation bot does explain in the admin room, where it is the only bot)."""
        if room.member_count <= 2 or not self.quiet_in_groups:
            return True
        help_command = self.registry.find("aide")
        return (
            help_command is not None
            and self.command_scope is not None
            and await self.command_scope(room.room_id, help_command.name)
        )

    async def _send(
        self, room_id: str, reply: Reply, *, key: str, in_reply_to: str | None = None
    ) -> None:
        """Send a notice. ``key`` names what it answers: the same key gives the same transaction
        id, so re-answering an event after a crash does not post twice."""
        content: dict[str, Any] = {"msgtype": "m.notice", "body": reply.body}
        if reply.html:
            content["format"] = "org.matrix.custom.html"
            content["formatted_body"] = reply.html
        if in_reply_to:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": in_reply_to}}
        await self.send_message(room_id, content, key=key)

    async def read_event(self, room_id: str, event_id: str) -> dict[str, Any] | None:
        """An event of ``room_id`` as ``{"sender", "content"}``, decrypted; None when it cannot
        be fetched or decrypted (the bot was not in the room, or lacks its key).

        See https://spec.matrix.org/v1.13/client-server-api/#get_matrixclientv3roomsroomideventeventid.
        """
        assert self.client is not None
        response = await self.client.room_get_event(room_id, event_id)
        if not isinstance(response, RoomGetEventResponse):
            self.log.info("Cannot fetch %s in %s: %s", event_id, room_id, response)
            return None
        event = response.event
        if isinstance(event, MegolmEvent):
            try:
                event = self.client.decrypt_event(event)
            except EncryptionError as error:
                self.log.info("Cannot decrypt %s in %s: %s", event_id, room_id, error)
                return None
        source = event.source
        return {"sender": event.sender, "content": source.get("content") or {}}

    async def send_message(
        self, room_id: str, content: dict[str, Any], *, key: str, event_type: str = "m.room.message"
    ) -> str:
        """Send ``content`` (encrypted in an encrypted room) and return its event id.

        ``key`` names what the message is for; the same key gives the same transaction id, so
        sending it again after a crash does not post twice.
        """
        assert self.client is not None
        if self.client.should_query_keys:
            with contextlib.suppress(LocalProtocolError):
                await self.client.keys_query()
        txn_id = "ral-" + hashlib.sha256(f"{room_id}|{key}".encode()).hexdigest()[:32]
        response = await self.client.room_send(
            room_id, event_type, content, tx_id=txn_id, ignore_unverified_devices=True
        )
        if not hasattr(response, "event_id"):
            raise RuntimeError(f"sending to {room_id} failed: {response}")
        return str(response.event_id)
