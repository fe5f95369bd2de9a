#!/usr/bin/env node
// Element-engine Matrix test client: matrix-js-sdk + Rust crypto (WASM), configured the way
// Element Web is (cross-signed device, "exclude insecure devices"). It opens/uses an encrypted DM
// with a bot, sends messages, waits for the bot's replies and prints one JSON object per line on
// stdout. Logs go to stderr. See README.md for the CLI.
//
// The module also exports `loginCryptoClient()` so throwaway scripts (e.g. a test echo bot) can
// reuse the exact same login/crypto setup; `main()` only runs when executed as a script.

import "fake-indexeddb/auto"; // matrix-js-sdk expects an IndexedDB implementation to exist.
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import {
    createClient,
    ClientEvent,
    MatrixEventEvent,
    RoomEvent,
    RoomMemberEvent,
} from "matrix-js-sdk";
import {
    AllDevicesIsolationMode,
    OnlySignedDevicesIsolationMode,
} from "matrix-js-sdk/lib/crypto-api/index.js";

// matrix-js-sdk 43 (and its deps p-retry 8, content-type 3) declare node >= 22, but on Node 20 the only
// missing piece is Promise.withResolvers (only called at runtime, so defining it after the imports is fine).
if (typeof Promise.withResolvers !== "function") {
    Promise.withResolvers = function withResolvers() {
        let resolve, reject;
        const promise = new this((res, rej) => ((resolve = res), (reject = rej)));
        return { promise, resolve, reject };
    };
}

// stdout is reserved for JSON lines: everything else written to it (the SDK and WASM log via
// console.log/info) is redirected to stderr.
const writeStdout = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr);
export const emit = (obj) => writeStdout(JSON.stringify(obj) + "\n");
const log = (...args) => console.error("[element-client]", ...args);

// The SDK's loggers look console methods up at call time and force child loggers to DEBUG, so
// verbosity is controlled here by muting console methods below ELEMENT_CLIENT_LOG (default "warn").
const LEVELS = ["trace", "debug", "info", "warn", "error"];
const minLevel = Math.max(0, LEVELS.indexOf(process.env.ELEMENT_CLIENT_LOG ?? "warn"));
LEVELS.forEach((name, i) => i < minLevel && (console[name] = () => {}));
if (minLevel > LEVELS.indexOf("info")) console.log = () => {};

/** Reject with `message` if `promise` has not settled within `ms`. */
function withTimeout(promise, ms, message) {
    let timer;
    const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Password login, Rust crypto init (in-memory store), device isolation mode and cross-signing
 * bootstrap, i.e. what Element does after a fresh login. Does not start syncing.
 *
 * @returns {{client, userId, deviceId, cryptoInitMs}}
 */
export async function loginCryptoClient({
    homeserver,
    user,
    password,
    deviceName = "ralliement-element-client",
    isolation = "signed", // "signed" = OnlySignedDevicesIsolationMode, "all" = AllDevicesIsolationMode
    crossSign = true,
}) {
    const login = await createClient({ baseUrl: homeserver }).loginRequest({
        type: "m.login.password",
        identifier: { type: "m.id.user", user },
        password,
        initial_device_display_name: deviceName,
    });
    const client = createClient({
        baseUrl: homeserver,
        userId: login.user_id,
        deviceId: login.device_id,
        accessToken: login.access_token,
    });

    const t0 = performance.now();
    await client.initRustCrypto({ useIndexedDB: false });
    const cryptoInitMs = Math.round(performance.now() - t0);
    const crypto = client.getCrypto();
    crypto.setDeviceIsolationMode(
        isolation === "all" ? new AllDevicesIsolationMode(false) : new OnlySignedDevicesIsolationMode(),
    );

    if (crossSign) {
        // Without secret storage a fresh device always creates (or replaces) the cross-signing identity;
        // replacing one needs user-interactive auth, which we do with the password.
        await crypto.bootstrapCrossSigning({
            authUploadDeviceSigningKeys: async (makeRequest) => {
                try {
                    return await makeRequest(null);
                } catch (e) {
                    if (e.httpStatus !== 401 || !e.data?.flows) throw e;
                    return makeRequest({
                        type: "m.login.password",
                        identifier: { type: "m.id.user", user: login.user_id },
                        password,
                        session: e.data.session,
                    });
                }
            },
        });
    }
    return { client, userId: login.user_id, deviceId: login.device_id, cryptoInitMs };
}

/** Start the client and resolve once the initial sync is done. */
export async function startAndSync(client, timeoutMs) {
    const prepared = new Promise((resolve) => {
        const onSync = (state) => {
            if (state === "PREPARED" || state === "SYNCING") {
                client.off(ClientEvent.Sync, onSync);
                resolve();
            }
        };
        client.on(ClientEvent.Sync, onSync);
    });
    // History is useless to us (a fresh device cannot decrypt it anyway): keep the initial sync small.
    await client.startClient({ initialSyncLimit: 1 });
    await withTimeout(prepared, timeoutMs, "initial sync timed out");
}

/**
 * Wait for an encrypted event's decryption to settle. A first failure can be transient (the room
 * key may arrive in a later sync, and the SDK then retries), so we wait up to `graceMs` for a
 * successful re-decryption before giving up.
 */
export async function settleDecryption(client, ev, graceMs) {
    await client.decryptEventIfNeeded(ev);
    if (!ev.isDecryptionFailure()) return;
    await new Promise((resolve) => {
        const done = () => {
            clearTimeout(timer);
            ev.off(MatrixEventEvent.Decrypted, onDecrypted);
            resolve();
        };
        const onDecrypted = () => !ev.isDecryptionFailure() && done();
        const timer = setTimeout(done, graceMs);
        ev.on(MatrixEventEvent.Decrypted, onDecrypted);
    });
}

function botMembership(client, roomId, bot) {
    return client.getRoom(roomId)?.getMember(bot)?.membership;
}

async function waitForBotJoin(client, roomId, bot, timeoutMs) {
    if (botMembership(client, roomId, bot) === "join") return;
    await withTimeout(
        new Promise((resolve) => {
            const onMembership = (_ev, member) => {
                if (member.roomId === roomId && member.userId === bot && member.membership === "join") {
                    client.off(RoomMemberEvent.Membership, onMembership);
                    resolve();
                }
            };
            client.on(RoomMemberEvent.Membership, onMembership);
        }),
        timeoutMs,
        `bot ${bot} did not join ${roomId} within ${timeoutMs} ms`,
    );
}

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

/** The event a message replies to (m.relates_to is in clear text even when encrypted). */
function repliesTo(ev) {
    const relation = ev.getWireContent()["m.relates_to"] ?? ev.getContent()["m.relates_to"];
    return relation?.["m.in_reply_to"]?.event_id ?? null;
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


async function reportBotDevices(client, bot) {
    const crypto = client.getCrypto();
    const devices = (await crypto.getUserDeviceInfo([bot], true)).get(bot) ?? new Map();
    for (const deviceId of devices.keys()) {
        const status = await crypto.getDeviceVerificationStatus(bot, deviceId);
        emit({
            event: "bot_device",
            user_id: bot,
            device_id: deviceId,
            signed_by_owner: status?.signedByOwner ?? false,
            cross_signing_verified: status?.crossSigningVerified ?? false,
        });
    }
    return devices.size;
}

async function createDm(client, bot) {
    const { room_id: roomId } = await client.createRoom({
        is_direct: true,
        invite: [bot],
        preset: "trusted_private_chat",
        initial_state: [
            { type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } },
        ],
    });
    return roomId;
}

const USAGE = `usage: node client.mjs --homeserver URL --user USER --password PW --bot @bot:server
        [--room ROOM_ID] [--body TEXT] [--count N] [--join-timeout S] [--reply-timeout S]
        [--timeout S] [--utd-grace S] [--isolation signed|all] [--no-cross-signing] [--keep-device] [--reply-relation]
  (the password may also be given as ELEMENT_CLIENT_PASSWORD; "{n}" in --body is replaced by 1..N)`;

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

        let roomId = opts.room;
        if (roomId) {
            if (client.getRoom(roomId)?.getMyMembership() !== "join") await client.joinRoom(roomId);
            const botState = botMembership(client, roomId, opts.bot);
            if (botState !== "join" && botState !== "invite") await client.invite(roomId, opts.bot);
        } else {
            roomId = await createDm(client, opts.bot);
        }
        emit({ event: "room", room_id: roomId, created: !opts.room });

        const joinStart = performance.now();
        await waitForBotJoin(client, roomId, opts.bot, opts.joinTimeoutMs);
        emit({ event: "bot_joined", room_id: roomId, wait_ms: Math.round(performance.now() - joinStart) });
        await reportBotDevices(client, opts.bot);

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

async function main() {
    const opts = parseCli(process.argv.slice(2));
    // Overall watchdog: never hang a test run.
    setTimeout(() => {
        emit({ event: "error", message: `overall timeout of ${opts.timeoutMs} ms exceeded` });
        process.exit(3);
    }, opts.timeoutMs).unref();
    const ok = await run(opts);
    // The SDK/WASM may leave timers or sockets behind; do not wait for them.
    process.exit(ok ? 0 : 1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
