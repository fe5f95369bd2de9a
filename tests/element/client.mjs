#!/usr/bin/env node
// Element-engine Matrix test client: matrix-js-sdk + Rust crypto (WASM), configured the way
// Element Web is (cross-signed device, "exclude insecure devices"). It opens/uses an encrypted DM
// with a bot, sends messages, waits for the bot's replies and prints one JSON object per line on
// stdout. Logs go to stderr. See README.md for the CLI. With --interactive, the conversation is
// driven by JSON commands on stdin instead (interactive.mjs); the shared setup is in matrix.mjs.
//
// The module also exports `loginCryptoClient()` so throwaway scripts (e.g. a test echo bot) can
// reuse the exact same login/crypto setup; `main()` only runs when executed as a script.

// matrix.mjs first: it loads fake-indexeddb before matrix-js-sdk and installs the stdout guard.
import {
    emit,
    log,
    loginCryptoClient,
    openRoomWithBot,
    repliesTo,
    settleDecryption,
    startAndSync,
} from "./matrix.mjs";
import { runInteractive } from "./interactive.mjs";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { RoomEvent } from "matrix-js-sdk";

export { emit, loginCryptoClient, settleDecryption, startAndSync };

/** Queue of live timeline events sent by `bot` in `roomId`, consumed by `next(timeoutMs)`. */
function botEventQueue(client, roomId, bot) {
    const queue = [];
    let waiter = null;
    client.on(RoomEvent.Timeline, (ev, room, toStartOfTimeline, removed, data) => {
        if (toStartOfTimeline || removed || !data?.liveEvent) return;
        if (room?.roomId !== roomId || ev.getSender() !== bot || ev.isState()) return;
        if (waiter) waiter(ev);
        else queue.push(ev);
    });
    return {
        clear: () => void (queue.length = 0),
        next(timeoutMs) {
            if (queue.length) return Promise.resolve(queue.shift());
            return new Promise((resolve) => {
                const timer = setTimeout(() => ((waiter = null), resolve(null)), timeoutMs);
                waiter = (ev) => {
                    clearTimeout(timer);
                    waiter = null;
                    resolve(ev);
                };
            });
        },
    };
}

/**
 * Wait for the bot's reply to `sentId`: its next m.room.message that replies to `sentId` or
 * carries no reply relation (unless `requireRelation`, set by --reply-relation), or an
 * undecryptable event; null on timeout. Bot messages that reply to something else (an earlier
 * message) are never this message's reply.
 */
async function nextReply(client, inbox, deadline, graceMs, sentId, requireRelation) {
    for (;;) {
        const ev = await inbox.next(Math.max(0, deadline - Date.now()));
        if (!ev) return null;
        if (ev.isEncrypted()) await settleDecryption(client, ev, graceMs);
        // Anything undecryptable counts as the reply: we cannot know what it was.
        if (ev.isDecryptionFailure()) return ev;
        if (ev.getType() !== "m.room.message") continue; // reactions, redactions...
        const target = repliesTo(ev);
        if (target === sentId || (target === null && !requireRelation)) return ev;
    }
}



const USAGE = `usage: node client.mjs --homeserver URL --user USER --password PW --bot @bot:server
        [--room ROOM_ID] [--body TEXT] [--count N] [--join-timeout S] [--reply-timeout S]
        [--timeout S] [--utd-grace S] [--isolation signed|all] [--no-cross-signing] [--keep-device] [--reply-relation]
        [--interactive [--greeting N]]
  (the password may also be given as ELEMENT_CLIENT_PASSWORD; "{n}" in --body is replaced by 1..N;
   --interactive reads JSON commands on stdin instead of sending --body, see README.md)`;

function parseCli(argv) {
    const { values: v } = parseArgs({
        args: argv,
        options: {
            homeserver: { type: "string" },
            user: { type: "string" },
            password: { type: "string", default: process.env.ELEMENT_CLIENT_PASSWORD },
            bot: { type: "string" },
            room: { type: "string" },
            body: { type: "string", default: "ping {n}" },
            count: { type: "string", default: "1" },
            "join-timeout": { type: "string", default: "30" },
            "reply-timeout": { type: "string", default: "30" },
            timeout: { type: "string", default: "120" },
            "utd-grace": { type: "string", default: "5" },
            isolation: { type: "string", default: "signed" },
            "no-cross-signing": { type: "boolean", default: false },
            "keep-device": { type: "boolean", default: false },
            "reply-relation": { type: "boolean", default: false },
            interactive: { type: "boolean", default: false },
            greeting: { type: "string" },
            help: { type: "boolean", short: "h", default: false },
        },
    });
    if (v.help || !v.homeserver || !v.user || !v.password || !v.bot) {
        console.error(USAGE);
        process.exit(v.help ? 0 : 2);
    }
    const seconds = (name) => Number(v[name]) * 1000;
    return {
        homeserver: v.homeserver,
        user: v.user,
        password: v.password,
        bot: v.bot,
        room: v.room,
        body: v.body,
        count: Math.max(1, parseInt(v.count, 10)),
        joinTimeoutMs: seconds("join-timeout"),
        replyTimeoutMs: seconds("reply-timeout"),
        timeoutMs: seconds("timeout"),
        utdGraceMs: seconds("utd-grace"),
        isolation: v.isolation,
        crossSign: !v["no-cross-signing"],
        keepDevice: v["keep-device"],
        replyRelation: v["reply-relation"],
        interactive: v.interactive,
        greeting: v.greeting === undefined ? undefined : Math.max(0, parseInt(v.greeting, 10)),
    };
}

async function run(opts) {
    const startedAt = performance.now();
    let client = null;
    let ok = false;
    let replies = 0;
    try {
        const login = await loginCryptoClient(opts);
        client = login.client;
        const { userId, deviceId, cryptoInitMs } = login;
        emit({ event: "ready", user_id: userId, device_id: deviceId, crypto_init_ms: cryptoInitMs,
            cross_signed: opts.crossSign, isolation: opts.isolation });
        await startAndSync(client, opts.joinTimeoutMs);

        const { roomId } = await openRoomWithBot(client, opts);

        // Subscribe before sending anything; bot messages seen before a send (e.g. a welcome
        // message) are dropped so that each send is paired with the next bot message.
        const inbox = botEventQueue(client, roomId, opts.bot);
        let failures = 0;
        for (let n = 1; n <= opts.count; n++) {
            const body = opts.body.replaceAll("{n}", String(n));
            inbox.clear();
            const t0 = performance.now();
            const { event_id: sentId } = await client.sendMessage(roomId, { msgtype: "m.text", body });
            const ev = await nextReply(client, inbox, Date.now() + opts.replyTimeoutMs, opts.utdGraceMs, sentId, opts.replyRelation);
            const failure = ev?.decryptionFailureReason ?? null;
            emit({
                event: "reply",
                sent_body: body,
                reply_body: ev && !failure ? (ev.getContent().body ?? null) : null,
                reply_msgtype: ev && !failure ? (ev.getContent().msgtype ?? null) : null,
                encrypted: ev ? ev.isEncrypted() : null,
                decryption_error: failure,
                latency_ms: ev ? Math.round(performance.now() - t0) : null,
                error: ev ? null : `no reply within ${opts.replyTimeoutMs} ms`,
            });
            if (!ev) {
                failures++;
                break; // a late reply would be mis-paired with the next message
            }
            if (failure) failures++;
            else replies++;
        }
        ok = failures === 0 && replies === opts.count;
    } catch (e) {
        log(e);
        emit({ event: "error", message: String(e?.message ?? e) });
    } finally {
        if (client && !opts.keepDevice) await client.logout(true).catch((e) => log("logout failed:", e.message));
        client?.stopClient();
        emit({ event: "done", ok, replies, elapsed_ms: Math.round(performance.now() - startedAt) });
    }
    return ok;
}

/** A watchdog that ends the process (exit 3) if it stays armed for `ms`: never hang a test run. */
function watchdog(ms, message) {
    let timer = null;
    const disarm = () => clearTimeout(timer);
    const arm = () => {
        disarm();
        timer = setTimeout(() => {
            emit({ event: "error", message });
            process.exit(3);
        }, ms).unref();
    };
    return { arm, disarm };
}

async function main() {
    const opts = parseCli(process.argv.slice(2));
    let ok;
    if (opts.interactive) {
        ok = await runInteractive(opts, watchdog(opts.timeoutMs, `step timeout of ${opts.timeoutMs} ms exceeded`));
    } else {
        watchdog(opts.timeoutMs, `overall timeout of ${opts.timeoutMs} ms exceeded`).arm();
        ok = await run(opts);
    }
    // The SDK/WASM may leave timers or sockets behind; do not wait for them.
    process.exit(ok ? 0 : 1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
