import GRDB

/// The warehouse schema as named, append-only migrations: a migration that has shipped is
/// never edited, only followed by a new one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 reference, core and operations tables") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2 source_file header for reject replay") { db in
            try db.execute(sql: "ALTER TABLE source_file ADD COLUMN header_raw BLOB")
        }
        migrator.registerMigration("v3 incident evidence") { db in
            try db.execute(sql: v3)
        }
        migrator.registerMigration("v4 change log and origin id for publish") { db in
            try db.execute(sql: ChangeFeed.migrationSQL)
        }
        return migrator
    }

    /// Why each event joined its incident (nil for the event that founded it), what the
    /// incident rule compares (its people and distinctive terms: a table of its own, so the
    /// `incident` row keeps its shape), and the category pairs the taxonomy declares related
    /// (`related:` in categories.yaml).
    static let v3 = """
        ALTER TABLE event ADD COLUMN incident_rule TEXT;
        ALTER TABLE event ADD COLUMN incident_score REAL;
        ALTER TABLE event ADD COLUMN incident_category TEXT;
        CREATE TABLE incident_signal (
            incident_id INTEGER PRIMARY KEY REFERENCES incident(id),
            people      TEXT NOT NULL,
            terms       TEXT NOT NULL
        );
        CREATE TABLE category_related (
            code_a TEXT NOT NULL,
            code_b TEXT NOT NULL,
            why    TEXT,
            PRIMARY KEY (code_a, code_b)
        ) WITHOUT ROWID;
        """

    static let v1 = """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
    ) WITHOUT ROWID;

    -- Reference data -------------------------------------------------------------------
    CREATE TABLE division (
        code             TEXT PRIMARY KEY NOT NULL,
        name             TEXT NOT NULL,
        level            TEXT NOT NULL CHECK (level IN ('district', 'street', 'community')),
        parent_code      TEXT,
        urban_rural_code TEXT
    ) WITHOUT ROWID;
    CREATE INDEX division_parent ON division(parent_code);

    CREATE TABLE grid (
        code           TEXT PRIMARY KEY NOT NULL,
        name           TEXT NOT NULL,
        community_code TEXT NOT NULL REFERENCES division(code),
        kind           TEXT NOT NULL,
        households     INTEGER,
        boundary       TEXT
    ) WITHOUT ROWID;
    CREATE INDEX grid_community ON grid(community_code);

    CREATE TABLE std_address (
        id             TEXT PRIMARY KEY NOT NULL,
        address        TEXT NOT NULL,
        road           TEXT,
        number         TEXT,
        compound       TEXT,
        building       TEXT,
        unit           TEXT,
        grid_code      TEXT REFERENCES grid(code),
        lng            REAL,
        lat            REAL
    ) WITHOUT ROWID;
    CREATE INDEX std_address_grid ON std_address(grid_code);

    -- The unified taxonomy (Mappings/codes/categories.yaml): domains, classes, subclasses.
    CREATE TABLE category (
        code        TEXT PRIMARY KEY NOT NULL,
        name        TEXT NOT NULL,
        parent_code TEXT,
        level       INTEGER NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE person (
        id               INTEGER PRIMARY KEY,
        id_token         TEXT UNIQUE,
        phone_token      TEXT,
        name_phone_token TEXT,
        masked_name      TEXT,
        masked_id        TEXT,
        masked_phone     TEXT
    );
    CREATE INDEX person_phone ON person(phone_token);
    CREATE INDEX person_name_phone ON person(name_phone_token);

    CREATE TABLE worker (
        worker_id    TEXT NOT NULL,
        grid_code    TEXT NOT NULL REFERENCES grid(code),
        role         TEXT NOT NULL,
        person_id    INTEGER REFERENCES person(id),
        masked_name  TEXT,
        PRIMARY KEY (worker_id, grid_code)
    ) WITHOUT ROWID;
    CREATE INDEX worker_grid ON worker(grid_code);

    -- Core -------------------------------------------------------------------------------
    CREATE TABLE place (
        id               INTEGER PRIMARY KEY,
        place_key        TEXT NOT NULL UNIQUE,
        text             TEXT,
        normalized_key   TEXT,
        compound_key     TEXT,
        std_address_id   TEXT REFERENCES std_address(id),
        grid_code        TEXT,
        community_code   TEXT,
        street_code      TEXT,
        district_code    TEXT,
        lng              REAL,
        lat              REAL,
        method           TEXT NOT NULL,
        confidence       REAL NOT NULL
    );
    CREATE INDEX place_std_address ON place(std_address_id);
    CREATE INDEX place_grid ON place(grid_code);

    CREATE TABLE incident (
        id             INTEGER PRIMARY KEY,
        place_key      TEXT NOT NULL,
        category       TEXT,
        std_address_id TEXT,
        grid_code      TEXT,
        first_report   INTEGER,
        last_report    INTEGER,
        event_count    INTEGER NOT NULL DEFAULT 0,
        sources        TEXT NOT NULL DEFAULT '',
        is_open        INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX incident_place ON incident(place_key, last_report);

    CREATE TABLE run (
        id           INTEGER PRIMARY KEY,
        command      TEXT NOT NULL,
        started_at   INTEGER NOT NULL,
        finished_at  INTEGER,
        state        TEXT NOT NULL,
        pid          INTEGER,
        files_loaded INTEGER NOT NULL DEFAULT 0,
        files_failed INTEGER NOT NULL DEFAULT 0,
        files_skipped INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE source_file (
        id            INTEGER PRIMARY KEY,
        run_id        INTEGER REFERENCES run(id),
        feed          TEXT NOT NULL,
        path          TEXT NOT NULL,
        sha256        TEXT NOT NULL,
        size          INTEGER NOT NULL,
        encoding      TEXT,
        gzip          INTEGER NOT NULL DEFAULT 0,
        mapping_hash  TEXT NOT NULL,
        export_date   TEXT,
        state         TEXT NOT NULL CHECK (state IN ('loaded', 'failed', 'over_threshold')),
        records_read  INTEGER NOT NULL DEFAULT 0,
        records_new   INTEGER NOT NULL DEFAULT 0,
        records_updated   INTEGER NOT NULL DEFAULT 0,
        records_unchanged INTEGER NOT NULL DEFAULT 0,
        records_rejected  INTEGER NOT NULL DEFAULT 0,
        records_skipped   INTEGER NOT NULL DEFAULT 0,
        findings      INTEGER NOT NULL DEFAULT 0,
        started_at    INTEGER NOT NULL,
        finished_at   INTEGER,
        message       TEXT
    );
    CREATE INDEX source_file_sha ON source_file(sha256, state);
    CREATE INDEX source_file_feed ON source_file(feed);

    CREATE TABLE event (
        id                 INTEGER PRIMARY KEY,
        source             TEXT NOT NULL,
        source_key         TEXT NOT NULL,
        version_at         INTEGER,
        version_rank       TEXT NOT NULL,
        content_hash       TEXT NOT NULL,
        category           TEXT,
        source_category    TEXT,
        source_category_code TEXT,
        nature             TEXT,
        channel            TEXT,
        urgency            TEXT,
        status             TEXT,
        source_status      TEXT,
        title              TEXT,
        content            TEXT,
        handling_unit      TEXT,
        result             TEXT,
        satisfaction       TEXT,
        is_repeat          INTEGER NOT NULL DEFAULT 0,
        repeat_of          TEXT,
        reported_at        INTEGER,
        dispatched_at      INTEGER,
        closed_at          INTEGER,
        headcount          INTEGER,
        self_resolved      INTEGER,
        is_voided          INTEGER NOT NULL DEFAULT 0,
        given_grid_code    TEXT,
        grid_code          TEXT,
        community_code     TEXT,
        street_code        TEXT,
        district_code      TEXT,
        place_id           INTEGER REFERENCES place(id),
        match_method       TEXT,
        match_confidence   REAL,
        grid_conflict      TEXT,
        incident_id        INTEGER REFERENCES incident(id),
        source_file_id     INTEGER NOT NULL REFERENCES source_file(id),
        line               INTEGER NOT NULL,
        UNIQUE (source, source_key)
    );
    CREATE INDEX event_reported ON event(reported_at);
    CREATE INDEX event_grid ON event(grid_code, reported_at);
    CREATE INDEX event_incident ON event(incident_id);
    CREATE INDEX event_file ON event(source_file_id);

    CREATE TABLE event_version (
        id             INTEGER PRIMARY KEY,
        event_id       INTEGER NOT NULL REFERENCES event(id),
        version_at     INTEGER,
        version_rank   TEXT NOT NULL,
        content_hash   TEXT NOT NULL,
        source_file_id INTEGER NOT NULL REFERENCES source_file(id),
        line           INTEGER NOT NULL,
        byte_offset    INTEGER NOT NULL,
        record_ordinal INTEGER NOT NULL,
        payload        BLOB NOT NULL,
        UNIQUE (event_id, content_hash)
    );

    CREATE TABLE event_party (
        event_id    INTEGER NOT NULL REFERENCES event(id),
        ordinal     INTEGER NOT NULL,
        person_id   INTEGER REFERENCES person(id),
        role        TEXT NOT NULL,
        is_lead     INTEGER NOT NULL DEFAULT 0,
        worker_id   TEXT,
        masked_name TEXT,
        PRIMARY KEY (event_id, ordinal)
    ) WITHOUT ROWID;
    CREATE INDEX event_party_person ON event_party(person_id);

    CREATE TABLE event_step (
        event_id INTEGER NOT NULL REFERENCES event(id),
        ordinal  INTEGER NOT NULL,
        at       INTEGER,
        action   TEXT NOT NULL,
        unit     TEXT,
        result   TEXT,
        PRIMARY KEY (event_id, ordinal)
    ) WITHOUT ROWID;

    CREATE TABLE reject (
        id             INTEGER PRIMARY KEY,
        source_file_id INTEGER NOT NULL REFERENCES source_file(id),
        feed           TEXT NOT NULL,
        line           INTEGER NOT NULL,
        byte_offset    INTEGER NOT NULL,
        record_ordinal INTEGER NOT NULL,
        field          TEXT,
        reason         TEXT NOT NULL,
        message        TEXT NOT NULL,
        raw            BLOB NOT NULL,
        replayed_at    INTEGER
    );
    CREATE INDEX reject_file ON reject(source_file_id);
    CREATE INDEX reject_reason ON reject(reason);

    CREATE TABLE finding (
        source_file_id INTEGER NOT NULL REFERENCES source_file(id),
        line           INTEGER NOT NULL,
        field          TEXT NOT NULL,
        code           TEXT NOT NULL,
        message        TEXT NOT NULL
    );
    CREATE INDEX finding_file ON finding(source_file_id);

    CREATE TABLE unmapped_value (
        feed           TEXT NOT NULL,
        field          TEXT NOT NULL,
        value          TEXT NOT NULL,
        occurrences    INTEGER NOT NULL,
        first_file_id  INTEGER REFERENCES source_file(id),
        PRIMARY KEY (feed, field, value)
    ) WITHOUT ROWID;
    """
}
