// Interactive mode of the Element-engine client (`client.mjs --interactive`): a conversation with a
// bot driven by JSON commands on stdin, one per line, each answered on stdout by JSON lines that end
// with {"event": "done", "step": n, "ok": bool}. The protocol is described in README.md.

import { createInterface } from "node:readline";
import { ClientEvent, RoomEvent } from "matrix-js-sdk";
import {
    emit,
    log,
    loginCryptoClient,
    openRoomWithBot,
    repliesTo,
    settleDecryption,
    startAndSync,
} from "./matrix.mjs";

/**
 * The bot's live timeline events, in arrival order. Subscribed before the DM exists, so that a
 * greeting sent as soon as the bot joins cannot be missed; `setRoom` then keeps that room only.
 */
class BotInbox {
    #events = [];
    #roomId = null;
    #wake = null;

    constructor(client, bot) {
        client.on(RoomEvent.Timeline, (ev, room, toStartOfTimeline, removed, data) => {
            if (toStartOfTimeline || removed || !data?.liveEvent) return;
            if (ev.getSender() !== bot || ev.isState()) return;
            if (this.#roomId !== null && room?.roomId !== this.#roomId) return;
            this.#events.push(ev);
            this.#wake?.();
        });
    }

    setRoom(roomId) {
        this.#roomId = roomId;
        this.#events = this.#events.filter((ev) => ev.getRoomId() === roomId);
    }

    /** How many events arrived and were not taken yet. */
    get size() {
        return this.#events.length;
    }

    /** The next event, waiting until `deadline` (a Date.now() value); null when it passes. */
    async next(deadline) {
        while (this.#events.length === 0) {
            const left = deadline - Date.now();
            if (left <= 0) return null;
            await new Promise((resolve) => {
                const timer = setTimeout(resolve, left);
                this.#wake = () => (clearTimeout(timer), resolve());
            });
            this.#wake = null;
        }
        return this.#events.shift();
    }
}

/**
 * What the user sees of one bot event: a `reply` line for a message, a `utd` line for an event
 * that stays undecryptable after `graceMs`, null for anything else (reactions, redactions...).
 */
async function describe(client, ev, graceMs) {
    if (ev.isEncrypted()) await settleDecryption(client, ev, graceMs);
    const common = { event_id: ev.getId(), sender: ev.getSender(), in_reply_to: repliesTo(ev) };
    if (ev.isDecryptionFailure()) {
        return { event: "utd", ...common, reason: ev.decryptionFailureReason ?? null, decrypted: false };
    }
    if (ev.getType() !== "m.room.message") {
        log(`ignoring a ${ev.getType()} event from the bot`);
        return null;
    }
    const content = ev.getContent();
    const relation = content["m.relates_to"];
    return {
        event: "reply",
        body: content.body ?? null,
        formatted_body: content.formatted_body ?? null,
        msgtype: content.msgtype ?? null,
        ...common,
        replaces: relation?.rel_type === "m.replace" ? (relation.event_id ?? null) : null,
        decrypted: ev.isEncrypted(),
    };
}

/**
 * Emit the bot's next `count` messages (reply or utd lines) plus the `earlier` ones already
 * waiting, which are marked `queued` and not counted; a `timeout` line if they do not all come
 * within --reply-timeout. Returns whether they all came.
 */
async function relay(session, count, earlier = 0) {
    const { client, inbox, opts } = session;
    const deadline = Date.now() + opts.replyTimeoutMs;
    let received = 0;
    for (let taken = 0; taken < earlier || received < count; taken++) {
        const ev = await inbox.next(deadline);
        if (!ev) {
            emit({ event: "timeout", expected: count, received, waited_ms: opts.replyTimeoutMs });
            return false;
        }
        const line = await describe(client, ev, opts.utdGraceMs);
        if (!line) continue;
        const queued = taken < earlier;
        emit(queued ? { ...line, queued } : line);
        if (!queued) received++;
    }
    return true;
}

/** Resolve true once `predicate()` holds after a sync, false if `deadline` passes first. */
function afterSyncs(client, predicate, deadline) {
    if (predicate()) return Promise.resolve(true);
    return new Promise((resolve) => {
        const finish = (value) => {
            clearTimeout(timer);
            client.off(ClientEvent.Sync, onSync);
            resolve(value);
        };
        const onSync = () => predicate() && finish(true);
        const timer = setTimeout(() => finish(predicate()), Math.max(0, deadline - Date.now()));
        client.on(ClientEvent.Sync, onSync);
    });
}

function pendingInvites(client) {
    const me = client.getSafeUserId();
    return client
        .getRooms()
        .filter((room) => room.getMyMembership() === "invite")
        .map((room) => ({
            room_id: room.roomId,
            name: room.currentState.getStateEvents("m.room.name", "")?.getContent()?.name ?? null,
            inviter: room.getMember(me)?.events.member?.getSender() ?? null,
        }));
}

function nonNegative(value, name, fallback) {
    const n = value ?? fallback;
    if (!Number.isInteger(n) || n < 0) throw new Error(`"${name}" must be a non-negative integer`);
    return n;
}

/** Run one command; returns the extra fields of its `done` line, or `ok: false`. */
async function perform(session, command) {
    const { client, inbox, opts, roomId } = session;
    if (typeof command.send === "string") {
        const expect = nonNegative(command.expect, "expect", 1);
        const earlier = inbox.size;
        const { event_id: sent } = await client.sendMessage(roomId, { msgtype: "m.text", body: command.send });
        return { ok: await relay(session, expect, earlier), sent_event_id: sent };
    }
    if (command.wait !== undefined) return { ok: await relay(session, nonNegative(command.wait, "wait"), 0) };
    if (command.invites) {
        const atLeast = nonNegative(command.expect, "expect", 0);
        const deadline = Date.now() + opts.replyTimeoutMs;
        const ok = await afterSyncs(client, () => pendingInvites(client).length >= atLeast, deadline);
        emit({ event: "invites", rooms: pendingInvites(client) });
        return { ok };
    }
    if (typeof command.join === "string") {
        const joined = await client.joinRoom(command.join);
        const target = joined.roomId;
        const seen = () => client.getRoom(target)?.getMyMembership() === "join";
        const ok = await afterSyncs(client, seen, Date.now() + opts.joinTimeoutMs);
        if (!ok) emit({ event: "error", message: `joined ${target} but no sync showed it in time` });
        emit({ event: "joined", room_id: target });
        return { ok };
    }
    throw new Error(`unknown command: ${JSON.stringify(command)}`);
}

/** Login, DM and greeting (step 0). Returns the session, or null when that failed. */
async function open(opts) {
    let client = null;
    try {
        const login = await loginCryptoClient(opts);
        client = login.client;
        emit({ event: "ready", user_id: login.userId, device_id: login.deviceId,
            crypto_init_ms: login.cryptoInitMs, cross_signed: opts.crossSign, isolation: opts.isolation });
        const inbox = new BotInbox(client, opts.bot);
        await startAndSync(client, opts.joinTimeoutMs);
        const { roomId, botJoinedNow } = await openRoomWithBot(client, opts);
        inbox.setRoom(roomId);
        const session = { client, inbox, opts, roomId };
        const greetings = opts.greeting ?? (botJoinedNow ? 1 : 0);
        const ok = await relay(session, greetings);
        emit({ event: "done", step: 0, ok, room_id: roomId });
        return session;
    } catch (e) {
        log(e);
        emit({ event: "error", message: String(e?.message ?? e) });
        if (client) await close(client, opts);
        emit({ event: "done", step: 0, ok: false });
        return null;
    }
}

async function close(client, opts) {
    if (!opts.keepDevice) await client.logout(true).catch((e) => log("logout failed:", e.message));
    client.stopClient();
}

/**
 * The interactive mode: `watchdog.arm()`/`disarm()` bound each step by --timeout (waiting for the
 * next command is not bounded: stdin closing ends the conversation). Returns true unless the
 * setup failed.
 */
export async function runInteractive(opts, watchdog) {
    watchdog.arm();
    const session = await open(opts);
    watchdog.disarm();
    if (!session) return false;

    let step = 0;
    let quit = false;
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
        if (!line.trim()) continue;
        step++;
        watchdog.arm();
        let command;
        let done = { ok: false };
        try {
            command = JSON.parse(line);
            if (command?.quit) {
                quit = true;
                break;
            }
            done = await perform(session, command);
        } catch (e) {
            log(e);
            emit({ event: "error", message: String(e?.message ?? e) });
        }
        emit({ event: "done", step, ...done });
        watchdog.disarm();
    }
    // `quit`, or stdin closed (then nobody reads a `done` line).
    await close(session.client, opts);
    if (quit) emit({ event: "done", step, ok: true });
    return true;
}
