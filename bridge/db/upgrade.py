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
