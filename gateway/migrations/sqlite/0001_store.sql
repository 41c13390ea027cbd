-- The gateway's store (SQLite): resources, their encrypted versions, the outbox of what the
-- chain must learn, and the nonces of signed requests already seen.

-- One row per resource: where to find it, whose it is, and what it is (the chain decides reads
-- by patient and category).
CREATE TABLE resources (
    resource_type   TEXT    NOT NULL,
    id              TEXT    NOT NULL,
    patient         BIGINT  NOT NULL,
    category        INTEGER NOT NULL,
    current_version INTEGER NOT NULL,
    deleted         INTEGER NOT NULL DEFAULT 0,
    -- ms since the epoch: the last change, and the clinical date searches by `date` use.
    last_updated    BIGINT  NOT NULL,
    effective       BIGINT,
    PRIMARY KEY (resource_type, id)
);
CREATE INDEX resources_by_patient ON resources (patient, resource_type, effective);

-- Each version, sealed (docs/gateway.md, "At rest"): the ciphertext and its wrapped data key
-- are bound to (type, id, version, locator); erasure removes both.
CREATE TABLE versions (
    resource_type TEXT    NOT NULL,
    id            TEXT    NOT NULL,
    version       INTEGER NOT NULL,
    locator       BLOB    NOT NULL UNIQUE,
    content_hash  BLOB    NOT NULL,
    ciphertext    BLOB,
    wrapped_key   BLOB,
    kek_id        TEXT    NOT NULL,
    -- 'pending' (not yet anchored), 'anchored', 'refused' (the chain would not anchor it),
    -- 'erased' (its key destroyed).
    status        TEXT    NOT NULL,
    record_id     BIGINT,
    writer        TEXT    NOT NULL,
    purpose       INTEGER NOT NULL,
    created_at    BIGINT  NOT NULL,
    refusal       TEXT,
    PRIMARY KEY (resource_type, id, version)
);
CREATE INDEX versions_by_record ON versions (record_id);

-- What the chain must learn, in order, exactly once: anchors, read reports, erasures. A row
-- leaves only when a block includes it (or the chain refused it for good).
CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL,
    payload     BLOB    NOT NULL,
    created_at  BIGINT  NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    -- The transaction that carries it while in flight (its hash, and the last block it may be
    -- included in: a mortal transaction not included by then never will be).
    in_flight   BLOB,
    valid_until BIGINT,
    last_error  TEXT
);

CREATE TABLE nonces (
    signer  TEXT   NOT NULL,
    nonce   TEXT   NOT NULL,
    expires BIGINT NOT NULL,
    PRIMARY KEY (signer, nonce)
);
CREATE INDEX nonces_by_expiry ON nonces (expires);
