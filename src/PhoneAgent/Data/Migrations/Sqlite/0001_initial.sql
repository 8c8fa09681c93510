-- PhoneAgent schema, SQLite. Kept equivalent to Migrations/Postgres/0001_initial.sql (same tables, columns and
-- unique keys; a test compares them). Times are UTC text 'yyyy-MM-ddTHH:mm:ss.fffffffZ', money is integer cents.

CREATE TABLE customers (
    id              TEXT NOT NULL PRIMARY KEY,
    name            TEXT NOT NULL,
    phone_e164      TEXT NOT NULL,
    email           TEXT,
    postal_code     TEXT,
    postal_code_key TEXT,          -- upper case without spaces, for look-ups
    time_zone       TEXT,
    pin_hash        TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX ix_customers_phone ON customers (phone_e164);
CREATE INDEX ix_customers_postal_code ON customers (postal_code_key);

CREATE TABLE orders (
    id             TEXT NOT NULL PRIMARY KEY,
    customer_id    TEXT NOT NULL REFERENCES customers (id),
    placed_at      TEXT NOT NULL,
    status         TEXT NOT NULL,
    summary        TEXT NOT NULL,
    currency       TEXT NOT NULL,
    total_cents    INTEGER NOT NULL CHECK (total_cents >= 0),
    refunded_cents INTEGER NOT NULL DEFAULT 0,
    CHECK (refunded_cents >= 0 AND refunded_cents <= total_cents)
);
CREATE INDEX ix_orders_customer ON orders (customer_id, placed_at);

CREATE TABLE refunds (
    id           TEXT NOT NULL PRIMARY KEY,
    call_sid     TEXT NOT NULL,
    tool_call_id TEXT NOT NULL,
    order_id     TEXT NOT NULL REFERENCES orders (id),
    customer_id  TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    currency     TEXT NOT NULL,
    reason       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    CONSTRAINT uq_refunds_call_order UNIQUE (call_sid, order_id)
);
CREATE INDEX ix_refunds_order ON refunds (order_id);

CREATE TABLE tool_audit (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    call_sid     TEXT NOT NULL,
    tool_call_id TEXT NOT NULL,
    tool         TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    reason       TEXT NOT NULL,
    customer_id  TEXT,
    order_id     TEXT,
    amount_cents INTEGER,
    detail       TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX ix_tool_audit_call ON tool_audit (call_sid, id);
CREATE INDEX ix_tool_audit_at ON tool_audit (at);

CREATE TABLE calls (
    call_sid           TEXT NOT NULL PRIMARY KEY,
    account_sid        TEXT NOT NULL,
    from_number        TEXT,
    to_number          TEXT,
    caller_attestation TEXT,
    profile            TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    ended_at           TEXT,
    end_reason         TEXT,
    call_status        TEXT,
    recording_sid      TEXT,
    version            INTEGER NOT NULL
);
CREATE INDEX ix_calls_from ON calls (from_number);
CREATE INDEX ix_calls_to ON calls (to_number);
CREATE INDEX ix_calls_created ON calls (created_at);

CREATE TABLE call_status_history (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    call_sid TEXT NOT NULL REFERENCES calls (call_sid),
    source   TEXT NOT NULL,
    status   TEXT NOT NULL,
    at       TEXT NOT NULL,
    detail   TEXT
);
CREATE INDEX ix_call_status_history_call ON call_status_history (call_sid, id);

CREATE TABLE streams (
    call_sid    TEXT NOT NULL REFERENCES calls (call_sid),
    ordinal     INTEGER NOT NULL,
    issued_at   TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    claimed_at  TEXT,
    stream_sid  TEXT,
    ended_at    TEXT,
    end_reason  TEXT,
    next_action TEXT,              -- NextAction as JSON with its "kind"
    PRIMARY KEY (call_sid, ordinal)
);

CREATE TABLE transcripts (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    call_sid TEXT NOT NULL REFERENCES calls (call_sid),
    at_ticks INTEGER NOT NULL,     -- time since the stream started, in 100 ns ticks
    speaker  TEXT NOT NULL,
    text     TEXT NOT NULL,        -- redacted
    kind     TEXT NOT NULL
);
CREATE INDEX ix_transcripts_call ON transcripts (call_sid, id);

CREATE TABLE handoffs (
    id          TEXT NOT NULL PRIMARY KEY,
    call_sid    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    summary     TEXT NOT NULL,
    customer_id TEXT,
    target      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX ix_handoffs_call ON handoffs (call_sid, created_at);

CREATE TABLE callbacks (
    id                 TEXT NOT NULL PRIMARY KEY,
    call_sid           TEXT NOT NULL,
    customer_id        TEXT,
    phone_e164         TEXT NOT NULL,
    due_at             TEXT NOT NULL,
    due_offset_minutes INTEGER NOT NULL,   -- the caller's offset, which the UTC time alone loses
    time_zone          TEXT NOT NULL,
    topic              TEXT NOT NULL,
    created_at         TEXT NOT NULL
);
CREATE INDEX ix_callbacks_call ON callbacks (call_sid, created_at);
CREATE INDEX ix_callbacks_phone ON callbacks (phone_e164);

CREATE TABLE call_verifications (
    call_sid        TEXT NOT NULL PRIMARY KEY,
    customer_id     TEXT,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    verified_at     TEXT,
    locked_at       TEXT,
    updated_at      TEXT NOT NULL
);
