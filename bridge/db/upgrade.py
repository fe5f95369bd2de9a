"""Schema migrations, one numbered step per change. Never edit a step that has shipped."""

from __future__ import annotations

from mautrix.util.async_db import Connection, Scheme, UpgradeTable

upgrade_table = UpgradeTable(version_table_name="ralliement_version", database_name="Ralliement")


async def upgrade_v1(conn: Connection, scheme: Scheme) -> None:
    if scheme in (Scheme.POSTGRES, Scheme.COCKROACH):
        sequence = "BIGINT GENERATED ALWAYS AS IDENTITY"
    else:
        sequence = "INTEGER"  # a SQLite INTEGER PRIMARY KEY is the rowid: increasing, never reused
    await conn.execute(
        """
        CREATE TABLE as_transaction (
            txn_id       TEXT PRIMARY KEY,
            event_count  INTEGER NOT NULL,
            received_at  BIGINT NOT NULL
        )
        """
    )
    await conn.execute(
        f"""
        CREATE TABLE inbox_event (
            seq           {sequence} PRIMARY KEY,
            event_id      TEXT NOT NULL UNIQUE,
            room_id       TEXT NOT NULL,
            event_type    TEXT NOT NULL,
            sender        TEXT NOT NULL,
            content       TEXT NOT NULL,
            received_at   BIGINT NOT NULL,
            attempts      INTEGER NOT NULL DEFAULT 0,
            next_try_at   BIGINT NOT NULL DEFAULT 0,
            last_error    TEXT,
            processed_at  BIGINT,
            failed_at     BIGINT
        )
        """
    )
    await conn.execute(
        "CREATE INDEX inbox_event_pending_idx ON inbox_event (processed_at, failed_at, seq)"
    )


upgrade_table.register(
    upgrade_v1, description="Appservice inbox: seen transactions and durable events"
)


async def upgrade_v2(conn: Connection, scheme: Scheme) -> None:
    # A PostgreSQL REAL is 4 bytes (about a metre of error at our latitudes): use a double there.
    # SQLite's REAL is already 8 bytes.
    real = "DOUBLE PRECISION" if scheme in (Scheme.POSTGRES, Scheme.COCKROACH) else "REAL"
    await conn.execute(
        f"""
        CREATE TABLE team (
            id           TEXT PRIMARY KEY,
            name         TEXT NOT NULL,
            kind         TEXT NOT NULL CHECK (kind IN ('local', 'thematic')),
            description  TEXT NOT NULL DEFAULT '',
            commune      TEXT,
            postcode     TEXT,
            departement  TEXT,
            latitude     {real},
            longitude    {real},
            room_id      TEXT UNIQUE,
            created_at   BIGINT NOT NULL,
            archived_at  BIGINT
        )
        """
    )
    await conn.execute(
        """
        CREATE TABLE team_member (
            team_id    TEXT NOT NULL REFERENCES team (id) ON DELETE CASCADE,
            user_id    TEXT NOT NULL,
            role       TEXT NOT NULL CHECK (role IN ('member', 'manager', 'referent')),
            joined_at  BIGINT NOT NULL,
            PRIMARY KEY (team_id, user_id)
        )
        """
    )
    await conn.execute("CREATE INDEX team_member_user_idx ON team_member (user_id)")
    await conn.execute("CREATE INDEX team_departement_idx ON team (departement, archived_at)")


upgrade_table.register(upgrade_v2, description="Teams and their members with roles")


async def upgrade_v3(conn: Connection, scheme: Scheme) -> None:
    # Where a team came from in a bulk import: re-importing the same row finds it instead of
    # creating a second team. The avatar is an mxc:// URI set by an admin.
    await conn.execute("ALTER TABLE team ADD COLUMN source_key TEXT")
    await conn.execute("ALTER TABLE team ADD COLUMN avatar_url TEXT")
    await conn.execute("CREATE UNIQUE INDEX team_source_key_idx ON team (source_key)")
    # The outbox of room projections: a team whose row is here has database changes its room does
    # not show yet. Written in the same transaction as the change, so no change is forgotten.
    await conn.execute(
        """
        CREATE TABLE room_sync (
            team_id       TEXT PRIMARY KEY REFERENCES team (id) ON DELETE CASCADE,
            requested_at  BIGINT NOT NULL,
            attempts      INTEGER NOT NULL DEFAULT 0,
            next_try_at   BIGINT NOT NULL DEFAULT 0,
            last_error    TEXT
        )
        """
    )
    # The campaign's spaces: "root", then one per département code ("69", "2A", "974").
    await conn.execute(
        """
        CREATE TABLE campaign_space (
            key         TEXT PRIMARY KEY,
            room_id     TEXT NOT NULL UNIQUE,
            created_at  BIGINT NOT NULL
        )
        """
    )


upgrade_table.register(
    upgrade_v3, description="Team import keys and avatars, room projection outbox, spaces"
)


async def upgrade_v4(conn: Connection, scheme: Scheme) -> None:
    real = "DOUBLE PRECISION" if scheme in (Scheme.POSTGRES, Scheme.COCKROACH) else "REAL"
    # Times are UTC milliseconds; ``timezone`` is how people read them. ``place`` is the exact
    # address as the organiser wrote it (never published in room state for a members-only event);
    # ``commune`` and the coordinates locate it (``precision`` says how finely).
    await conn.execute(
        f"""
        CREATE TABLE event (
            id           TEXT PRIMARY KEY,
            team_id      TEXT NOT NULL REFERENCES team (id) ON DELETE CASCADE,
            title        TEXT NOT NULL,
            description  TEXT NOT NULL DEFAULT '',
            kind         TEXT NOT NULL CHECK (kind IN ('action', 'meeting', 'online')),
            start_at     BIGINT NOT NULL,
            end_at       BIGINT NOT NULL,
            timezone     TEXT NOT NULL,
            place        TEXT NOT NULL DEFAULT '',
            commune      TEXT,
            postcode     TEXT,
            latitude     {real},
            longitude    {real},
            precision    TEXT,
            visibility   TEXT NOT NULL CHECK (visibility IN ('public', 'members')),
            capacity     INTEGER CHECK (capacity IS NULL OR capacity > 0),
            status       TEXT NOT NULL CHECK (status IN ('confirmed', 'cancelled')),
            organizer    TEXT NOT NULL,
            sequence     INTEGER NOT NULL DEFAULT 0,
            created_at   BIGINT NOT NULL,
            updated_at   BIGINT NOT NULL,
            CHECK (end_at > start_at)
        )
        """
    )
    await conn.execute("CREATE INDEX event_team_start_idx ON event (team_id, start_at)")
    await conn.execute("CREATE INDEX event_start_idx ON event (status, start_at)")
    await conn.execute(
        """
        CREATE TABLE rsvp (
            event_id    TEXT NOT NULL REFERENCES event (id) ON DELETE CASCADE,
            user_id     TEXT NOT NULL,
            going       BOOLEAN NOT NULL,
            guests      INTEGER NOT NULL DEFAULT 0 CHECK (guests >= 0),
            updated_at  BIGINT NOT NULL,
            PRIMARY KEY (event_id, user_id)
        )
        """
    )
    await conn.execute("CREATE INDEX rsvp_user_idx ON rsvp (user_id)")


upgrade_table.register(upgrade_v4, description="Events and RSVPs")


async def upgrade_v5(conn: Connection, scheme: Scheme) -> None:
    # The announcement message of an event (edits replace it), and the ✅ reaction that made an
    # RSVP (removing the reaction cancels it).
    await conn.execute("ALTER TABLE event ADD COLUMN announcement_id TEXT")
    await conn.execute("ALTER TABLE rsvp ADD COLUMN reaction_id TEXT")
    await conn.execute("CREATE UNIQUE INDEX rsvp_reaction_idx ON rsvp (reaction_id)")
    await conn.execute("CREATE UNIQUE INDEX event_announcement_idx ON event (announcement_id)")
    # The secret part of a team's private calendar URL (members-only events included).
    await conn.execute("ALTER TABLE team ADD COLUMN calendar_token TEXT")
    # The announcements the agenda bot owes: one row per event and change (the event's
    # sequence), written with the change; sent with a transaction id derived from the row, so a
    # crash between sending and marking never posts twice.
    await conn.execute(
        """
        CREATE TABLE announcement (
            event_id     TEXT NOT NULL REFERENCES event (id) ON DELETE CASCADE,
            sequence     INTEGER NOT NULL,
            kind         TEXT NOT NULL CHECK (kind IN ('created', 'edited', 'cancelled')),
            requested_at BIGINT NOT NULL,
            attempts     INTEGER NOT NULL DEFAULT 0,
            next_try_at  BIGINT NOT NULL DEFAULT 0,
            last_error   TEXT,
            sent_at      BIGINT,
            PRIMARY KEY (event_id, sequence)
        )
        """
    )
    await conn.execute("CREATE INDEX announcement_due_idx ON announcement (sent_at, next_try_at)")


upgrade_table.register(
    upgrade_v5, description="Event announcements outbox, reaction RSVPs, calendar tokens"
)


async def upgrade_v6(conn: Connection, scheme: Scheme) -> None:
    real = "DOUBLE PRECISION" if scheme in (Scheme.POSTGRES, Scheme.COCKROACH) else "REAL"
    sequence = (
        "BIGINT GENERATED ALWAYS AS IDENTITY"
        if scheme in (Scheme.POSTGRES, Scheme.COCKROACH)
        else "INTEGER"
    )
    # The people who supported the campaign (imported from its sign-up site), and the Matrix
    # account each one linked after proving the address. ``email`` is stored normalised.
    await conn.execute(
        f"""
        CREATE TABLE supporter (
            id              {sequence} PRIMARY KEY,
            email           TEXT NOT NULL UNIQUE,
            name            TEXT NOT NULL DEFAULT '',
            postcode        TEXT,
            source          TEXT NOT NULL CHECK (source IN ('import', 'api', 'open')),
            user_id         TEXT UNIQUE,
            verified_at     BIGINT,
            home_commune    TEXT,
            home_postcode   TEXT,
            home_latitude   {real},
            home_longitude  {real},
            home_precision  TEXT,
            language        TEXT,
            created_at      BIGINT NOT NULL,
            updated_at      BIGINT NOT NULL
        )
        """
    )
    # The one code a user may have pending: only its hash is kept.
    await conn.execute(
        """
        CREATE TABLE email_code (
            user_id     TEXT PRIMARY KEY,
            email       TEXT NOT NULL,
            code_hash   TEXT NOT NULL,
            created_at  BIGINT NOT NULL,
            expires_at  BIGINT NOT NULL,
            attempts    INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    # Every code sent, for the rate limits per user and per address.
    await conn.execute(
        """
        CREATE TABLE email_sent (
            email    TEXT NOT NULL,
            user_id  TEXT NOT NULL,
            sent_at  BIGINT NOT NULL
        )
        """
    )
    await conn.execute("CREATE INDEX email_sent_email_idx ON email_sent (email, sent_at)")
    await conn.execute("CREATE INDEX email_sent_user_idx ON email_sent (user_id, sent_at)")
    # Where each user is in the joining conversation with the welcome bot (survives restarts).
    await conn.execute(
        """
        CREATE TABLE joining (
            user_id     TEXT PRIMARY KEY,
            room_id     TEXT NOT NULL,
            step        TEXT NOT NULL,
            data        TEXT NOT NULL DEFAULT '{}',
            started_at  BIGINT NOT NULL,
            updated_at  BIGINT NOT NULL
        )
        """
    )


upgrade_table.register(
    upgrade_v6, description="Supporters, email verification codes, joining conversations"
)


async def upgrade_v7(conn: Connection, scheme: Scheme) -> None:
    real = "DOUBLE PRECISION" if scheme in (Scheme.POSTGRES, Scheme.COCKROACH) else "REAL"
    # Geocoding answers, by normalised query and provider chain: a network provider is asked
    # once per place. A row without coordinates remembers that nothing was found.
    await conn.execute(
        f"""
        CREATE TABLE geocode_cache (
            query_key   TEXT PRIMARY KEY,
            provider    TEXT NOT NULL,
            latitude    {real},
            longitude   {real},
            precision   TEXT,
            label       TEXT,
            commune     TEXT,
            postcode    TEXT,
            created_at  BIGINT NOT NULL,
            expires_at  BIGINT NOT NULL
        )
        """
    )


upgrade_table.register(upgrade_v7, description="Geocoding cache")


async def upgrade_v8(conn: Connection, scheme: Scheme) -> None:
    # The geographic index of events. PostgreSQL: a GiST index on the earth position
    # (cube/earthdistance, trusted extensions since PostgreSQL 13), which serves nearest-first
    # scans. SQLite: an R*Tree of each event's point, kept by triggers; candidates in a
    # bounding box are then filtered by exact distance.
    if scheme in (Scheme.POSTGRES, Scheme.COCKROACH):
        await conn.execute("CREATE EXTENSION IF NOT EXISTS cube")
        await conn.execute("CREATE EXTENSION IF NOT EXISTS earthdistance")
        await conn.execute(
            "CREATE INDEX event_earth_idx ON event USING gist (ll_to_earth(latitude, longitude))"
            " WHERE latitude IS NOT NULL AND longitude IS NOT NULL"
        )
        return
    # The R*Tree key is an integer of its own; ``+event_id`` (an auxiliary column) names the
    # event, so nothing depends on SQLite rowids, which VACUUM may renumber.
    await conn.execute(
        "CREATE VIRTUAL TABLE event_rtree"
        " USING rtree(id, min_lat, max_lat, min_lon, max_lon, +event_id TEXT)"
    )
    await conn.execute(
        "INSERT INTO event_rtree (min_lat, max_lat, min_lon, max_lon, event_id)"
        " SELECT latitude, latitude, longitude, longitude, id"
        " FROM event WHERE latitude IS NOT NULL AND longitude IS NOT NULL"
    )
    await conn.execute(
        """
        CREATE TRIGGER event_rtree_insert AFTER INSERT ON event
        WHEN NEW.latitude IS NOT NULL AND NEW.longitude IS NOT NULL
        BEGIN
            INSERT INTO event_rtree (min_lat, max_lat, min_lon, max_lon, event_id)
            VALUES (NEW.latitude, NEW.latitude, NEW.longitude, NEW.longitude, NEW.id);
        END
        """
    )
    await conn.execute(
        """
        CREATE TRIGGER event_rtree_update AFTER UPDATE OF latitude, longitude ON event
        WHEN OLD.latitude IS NOT NEW.latitude OR OLD.longitude IS NOT NEW.longitude
        BEGIN
            DELETE FROM event_rtree WHERE event_id = OLD.id;
            INSERT INTO event_rtree (min_lat, max_lat, min_lon, max_lon, event_id)
            SELECT NEW.latitude, NEW.latitude, NEW.longitude, NEW.longitude, NEW.id
            WHERE NEW.latitude IS NOT NULL AND NEW.longitude IS NOT NULL;
        END
        """
    )
    await conn.execute(
        """
        CREATE TRIGGER event_rtree_delete AFTER DELETE ON event
        BEGIN
            DELETE FROM event_rtree WHERE event_id = OLD.id;
        END
        """
    )


upgrade_table.register(upgrade_v8, description="Geographic index of events")


async def upgrade_v9(conn: Connection, scheme: Scheme) -> None:
    # "!alerte 20": tell this user about new events within 20 km of their home place.
    await conn.execute(
        """
        CREATE TABLE alert_subscription (
            user_id     TEXT PRIMARY KEY,
            radius_km   INTEGER NOT NULL CHECK (radius_km BETWEEN 1 AND 500),
            created_at  BIGINT NOT NULL
        )
        """
    )
    # Each alert sent (or skipped because of the daily cap), once per event and user.
    await conn.execute(
        """
        CREATE TABLE alert_delivery (
            event_id    TEXT NOT NULL REFERENCES event (id) ON DELETE CASCADE,
            user_id     TEXT NOT NULL,
            day         TEXT NOT NULL,
            status      TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'capped')),
            created_at  BIGINT NOT NULL,
            sent_at     BIGINT,
            PRIMARY KEY (event_id, user_id)
        )
        """
    )
    await conn.execute("CREATE INDEX alert_delivery_user_day_idx ON alert_delivery (user_id, day)")
    await conn.execute("CREATE INDEX alert_delivery_pending_idx ON alert_delivery (status)")
    # How far the alert matcher has gone through new events (one row per matcher).
    await conn.execute(
        """
        CREATE TABLE alert_cursor (
            name        TEXT PRIMARY KEY,
            created_at  BIGINT NOT NULL,
            event_id    TEXT NOT NULL
        )
        """
    )
    # The DM each bot keeps with each user (to send alerts), created on first need.
    await conn.execute(
        """
        CREATE TABLE direct_room (
            bot_user_id  TEXT NOT NULL,
            user_id      TEXT NOT NULL,
            room_id      TEXT NOT NULL,
            created_at   BIGINT NOT NULL,
            PRIMARY KEY (bot_user_id, user_id)
        )
        """
    )
    # The last search of a user in a room, for "!plus" (next page).
    real = "DOUBLE PRECISION" if scheme in (Scheme.POSTGRES, Scheme.COCKROACH) else "REAL"
    await conn.execute(
        f"""
        CREATE TABLE search_page (
            user_id     TEXT NOT NULL,
            room_id     TEXT NOT NULL,
            kind        TEXT NOT NULL CHECK (kind IN ('events', 'teams')),
            latitude    {real} NOT NULL,
            longitude   {real} NOT NULL,
            radius_km   INTEGER NOT NULL,
            label       TEXT NOT NULL,
            next_offset INTEGER NOT NULL,
            created_at  BIGINT NOT NULL,
            PRIMARY KEY (user_id, room_id)
        )
        """
    )


upgrade_table.register(
    upgrade_v9, description="Alerts near home, direct rooms of the bots, search pages"
)


async def upgrade_v10(conn: Connection, scheme: Scheme) -> None:
    # Reminders: one row per message owed at a time (a personal reminder, or one reminder of an
    # event). The scheduler claims due rows, sends with a Matrix transaction id made from the row
    # (so a crash between sending and marking never sends twice) and marks them sent; a repeating
    # reminder then moves to its next time. ``status`` scheduled → sending → sent | cancelled |
    # dropped (due while the bots were down and pointless by then).
    await conn.execute(
        """
        CREATE TABLE reminder (
            id           TEXT PRIMARY KEY,
            user_id      TEXT NOT NULL,
            room_id      TEXT,
            kind         TEXT NOT NULL CHECK (kind IN
                             ('personal', 'event_attendee', 'event_room', 'event_report')),
            event_id     TEXT REFERENCES event (id) ON DELETE CASCADE,
            text         TEXT NOT NULL DEFAULT '',
            due_at       BIGINT NOT NULL,
            timezone     TEXT NOT NULL,
            recurrence   TEXT,
            status       TEXT NOT NULL CHECK (status IN
                             ('scheduled', 'sending', 'sent', 'cancelled', 'dropped')),
            occurrence   INTEGER NOT NULL DEFAULT 0,
            claimed_at   BIGINT,
            sent_at      BIGINT,
            late         BOOLEAN NOT NULL DEFAULT FALSE,
            created_at   BIGINT NOT NULL
        )
        """
    )
    await conn.execute("CREATE INDEX reminder_due_idx ON reminder (status, due_at)")
    await conn.execute("CREATE INDEX reminder_user_idx ON reminder (user_id, status)")
    await conn.execute("CREATE INDEX reminder_event_idx ON reminder (event_id)")
    # Per-user settings of the reminders bot: time zone and event reminder offsets.
    await conn.execute(
        """
        CREATE TABLE reminder_settings (
            user_id     TEXT PRIMARY KEY,
            timezone    TEXT,
            offsets     TEXT,
            updated_at  BIGINT NOT NULL
        )
        """
    )


upgrade_table.register(upgrade_v10, description="Reminders and reminder settings")


async def upgrade_v11(conn: Connection, scheme: Scheme) -> None:
    # The alert matcher walks new events in creation order.
    await conn.execute("CREATE INDEX event_created_idx ON event (created_at, id)")


upgrade_table.register(upgrade_v11, description="Events in creation order (alert matcher)")


async def upgrade_v12(conn: Connection, scheme: Scheme) -> None:
    if scheme in (Scheme.POSTGRES, Scheme.COCKROACH):
        sequence = "BIGINT GENERATED ALWAYS AS IDENTITY"
    else:
        sequence = "INTEGER"
    # The moderation's rooms: the admin room, the campaign's policy list, and the policy lists it
    # watches (read-only). ``alias`` is how a moderator named it (shown by !listes).
    await conn.execute(
        """
        CREATE TABLE moderation_room (
            room_id   TEXT PRIMARY KEY,
            purpose   TEXT NOT NULL CHECK (purpose IN ('admin', 'policy', 'watched')),
            alias     TEXT,
            added_by  TEXT,
            added_at  BIGINT NOT NULL
        )
        """
    )
    await conn.execute(
        "CREATE UNIQUE INDEX moderation_room_own_idx ON moderation_room (purpose)"
        " WHERE purpose IN ('admin', 'policy')"
    )
    # The rules of every policy list we read (m.policy.rule.* and their legacy types), keyed as
    # the room keys them: a new state event under the same key replaces the rule, an empty one
    # removes it.
    await conn.execute(
        """
        CREATE TABLE policy_rule (
            list_room_id    TEXT NOT NULL,
            event_type      TEXT NOT NULL,
            state_key       TEXT NOT NULL,
            kind            TEXT NOT NULL CHECK (kind IN ('user', 'server', 'room')),
            entity          TEXT NOT NULL,
            recommendation  TEXT NOT NULL,
            reason          TEXT NOT NULL DEFAULT '',
            sender          TEXT NOT NULL,
            set_at          BIGINT NOT NULL,
            PRIMARY KEY (list_room_id, event_type, state_key)
        )
        """
    )
    # Bans applied because of a rule (the rule's key): what to lift when the rule goes.
    await conn.execute(
        """
        CREATE TABLE policy_ban (
            room_id       TEXT NOT NULL,
            user_id       TEXT NOT NULL,
            list_room_id  TEXT NOT NULL,
            event_type    TEXT NOT NULL,
            state_key     TEXT NOT NULL,
            banned_at     BIGINT NOT NULL,
            PRIMARY KEY (room_id, user_id)
        )
        """
    )
    await conn.execute(
        "CREATE INDEX policy_ban_rule_idx ON policy_ban (list_room_id, event_type, state_key)"
    )
    await conn.execute("CREATE INDEX policy_ban_user_idx ON policy_ban (user_id)")
    # Actions owed to rooms (ban, unban, kick, redact), carried out by the appservice, which the
    # homeserver does not rate-limit. Written in the transaction that decided them, so a crash
    # loses none; done or failed rows are kept as the moderation log.
    await conn.execute(
        f"""
        CREATE TABLE moderation_action (
            id            {sequence} PRIMARY KEY,
            room_id       TEXT NOT NULL,
            user_id       TEXT NOT NULL,
            action        TEXT NOT NULL CHECK (action IN ('ban', 'unban', 'kick', 'redact')),
            target_event  TEXT,
            reason        TEXT NOT NULL DEFAULT '',
            cause         TEXT NOT NULL DEFAULT '',
            requested_by  TEXT,
            created_at    BIGINT NOT NULL,
            attempts      INTEGER NOT NULL DEFAULT 0,
            next_try_at   BIGINT NOT NULL DEFAULT 0,
            done_at       BIGINT,
            failed_at     BIGINT,
            last_error    TEXT
        )
        """
    )
    await conn.execute(
        "CREATE INDEX moderation_action_pending_idx"
        " ON moderation_action (done_at, failed_at, next_try_at, id)"
    )
    await conn.execute(
        "CREATE INDEX moderation_action_user_idx ON moderation_action (user_id, action)"
    )
    # The latest join of each user in each managed room: join waves, !depuis, "new member".
    await conn.execute(
        """
        CREATE TABLE room_join (
            room_id    TEXT NOT NULL,
            user_id    TEXT NOT NULL,
            joined_at  BIGINT NOT NULL,
            event_id   TEXT NOT NULL,
            PRIMARY KEY (room_id, user_id)
        )
        """
    )
    await conn.execute("CREATE INDEX room_join_time_idx ON room_join (joined_at, room_id)")
    # Rooms locked down (knock or invite only) after a join wave or by a moderator.
    await conn.execute(
        """
        CREATE TABLE room_lockdown (
            room_id    TEXT PRIMARY KEY,
            reason     TEXT NOT NULL DEFAULT '',
            locked_by  TEXT NOT NULL,
            locked_at  BIGINT NOT NULL
        )
        """
    )
    # Muted members (power level -1 in the team room) until ``until`` (NULL: until unmuted).
    await conn.execute(
        """
        CREATE TABLE room_mute (
            room_id   TEXT NOT NULL,
            user_id   TEXT NOT NULL,
            muted_by  TEXT NOT NULL,
            muted_at  BIGINT NOT NULL,
            until     BIGINT,
            PRIMARY KEY (room_id, user_id)
        )
        """
    )
    # Protections switched on or off, globally (scope '') or in one room (scope: its room id).
    await conn.execute(
        """
        CREATE TABLE protection_setting (
            scope       TEXT NOT NULL,
            protection  TEXT NOT NULL,
            enabled     BOOLEAN NOT NULL,
            set_by      TEXT NOT NULL,
            set_at      BIGINT NOT NULL,
            PRIMARY KEY (scope, protection)
        )
        """
    )
    # One row per offence a protection caught (a ban follows after K of them).
    await conn.execute(
        f"""
        CREATE TABLE moderation_strike (
            id          {sequence} PRIMARY KEY,
            user_id     TEXT NOT NULL,
            room_id     TEXT NOT NULL,
            event_id    TEXT NOT NULL,
            protection  TEXT NOT NULL,
            struck_at   BIGINT NOT NULL,
            UNIQUE (event_id, protection)
        )
        """
    )
    await conn.execute("CREATE INDEX moderation_strike_user_idx ON moderation_strike (user_id)")
    # What the moderation bot owes the admin room (join wave alerts, reports, strikes...):
    # ``payload`` is JSON; ``event_id`` the message once sent (quick actions react to it).
    await conn.execute(
        f"""
        CREATE TABLE moderation_alert (
            id          {sequence} PRIMARY KEY,
            kind        TEXT NOT NULL,
            room_id     TEXT,
            payload     TEXT NOT NULL,
            created_at  BIGINT NOT NULL,
            sent_at     BIGINT,
            event_id    TEXT,
            attempts    INTEGER NOT NULL DEFAULT 0,
            last_error  TEXT
        )
        """
    )
    await conn.execute(
        "CREATE INDEX moderation_alert_pending_idx ON moderation_alert (sent_at, id)"
    )
    await conn.execute("CREATE INDEX moderation_alert_event_idx ON moderation_alert (event_id)")
    # Messages reported by supporters (!signaler) and what moderators did about them.
    await conn.execute(
        f"""
        CREATE TABLE moderation_report (
            id             {sequence} PRIMARY KEY,
            room_id        TEXT NOT NULL,
            event_id       TEXT NOT NULL,
            reported_user  TEXT NOT NULL,
            reporter       TEXT NOT NULL,
            reason         TEXT NOT NULL DEFAULT '',
            excerpt        TEXT NOT NULL DEFAULT '',
            created_at     BIGINT NOT NULL,
            handled_by     TEXT,
            handled_at     BIGINT,
            resolution     TEXT,
            UNIQUE (event_id, reporter)
        )
        """
    )


upgrade_table.register(
    upgrade_v12,
    description="Moderation: policy lists and rules, actions, joins, lockdowns, mutes, "
    "protections, strikes, alerts, reports",
)
