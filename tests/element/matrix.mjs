// Shared pieces of the Element-engine test client (see client.mjs and README.md): the stdout guard
// (stdout carries only JSON lines), login + Rust crypto + cross-signing as Element does it, syncing,
// decryption settling and the DM with the bot. Importing this module installs the stdout guard.

import "fake-indexeddb/auto"; // matrix-js-sdk expects an IndexedDB implementation to exist.
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
export const log = (...args) => console.error("[element-client]", ...args);

// The SDK's loggers look console methods up at call time and force child loggers to DEBUG, so
// verbosity is controlled here by muting console methods below ELEMENT_CLIENT_LOG (default "warn").
const LEVELS = ["trace", "debug", "info", "warn", "error"];
const minLevel = Math.max(0, LEVELS.indexOf(process.env.ELEMENT_CLIENT_LOG ?? "warn"));
LEVELS.forEach((name, i) => i < minLevel && (console[name] = () => {}));
if (minLevel > LEVELS.indexOf("info")) console.log = () => {};

/** Reject with `message` if `promise` has not settled within `ms`. */
export function withTimeout(promise, ms, message) {
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

export function botMembership(client, roomId, bot) {
    return client.getRoom(roomId)?.getMember(bot)?.membership;
}

export async function waitForBotJoin(client, roomId, bot, timeoutMs) {
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

/** The event a message replies to (m.relates_to is in clear text even when encrypted). */
export function repliesTo(ev) {
    const relation = ev.getWireContent()["m.relates_to"] ?? ev.getContent()["m.relates_to"];
    return relation?.["m.in_reply_to"]?.event_id ?? null;
}

export async function reportBotDevices(client, bot) {
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

export async function createDm(client, bot) {
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

/**
 * Join `room` (inviting the bot if it is not there) or create an encrypted DM with the bot, wait
 * for the bot to join, and report the room and the bot's devices (`room`, `bot_joined`,
 * `bot_device` lines).
 *
 * @returns {{roomId: string, botJoinedNow: boolean}} botJoinedNow: the bot was not yet joined.
 */
export async function openRoomWithBot(client, { room, bot, joinTimeoutMs }) {
    let roomId = room;
    if (roomId) {
        if (client.getRoom(roomId)?.getMyMembership() !== "join") await client.joinRoom(roomId);
        // Just joined, the room's state may not have synced yet: ask the server.
        const botState = await client
            .getStateEvent(roomId, "m.room.member", bot)
            .then((content) => content?.membership)
            .catch(() => undefined);
        if (botState !== "join" && botState !== "invite") await client.invite(roomId, bot);
    } else {
        roomId = await createDm(client, bot);
    }
    emit({ event: "room", room_id: roomId, created: !room });

    const botJoinedNow = botMembership(client, roomId, bot) !== "join";
    const joinStart = performance.now();
    await waitForBotJoin(client, roomId, bot, joinTimeoutMs);
    emit({ event: "bot_joined", room_id: roomId, wait_ms: Math.round(performance.now() - joinStart) });
    await reportBotDevices(client, bot);
    return { roomId, botJoinedNow };
}
