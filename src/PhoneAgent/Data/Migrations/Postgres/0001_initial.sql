-- PhoneAgent schema, PostgreSQL. Kept equivalent to Migrations/Sqlite/0001_initial.sql (same tables, columns and
-- unique keys; a test compares them). Times are timestamptz, money is bigint cents.

CREATE TABLE customers (
    id              text NOT NULL PRIMARY KEY,
    name            text NOT NULL,
    phone_e164      text NOT NULL,
    email           text,
    postal_code     text,
    postal_code_key text,
    time_zone       text,
    pin_hash        text,
    created_at      timestamptz NOT NULL
);
CREATE INDEX ix_customers_phone ON customers (phone_e164);
CREATE INDEX ix_customers_postal_code ON customers (postal_code_key);

CREATE TABLE orders (
    id             text NOT NULL PRIMARY KEY,
    customer_id    text NOT NULL REFERENCES customers (id),
    placed_at      timestamptz NOT NULL,
    status         text NOT NULL,
    summary        text NOT NULL,
    currency       text NOT NULL,
    total_cents    bigint NOT NULL CHECK (total_cents >= 0),
    refunded_cents bigint NOT NULL DEFAULT 0,
    CHECK (refunded_cents >= 0 AND refunded_cents <= total_cents)
);
CREATE INDEX ix_orders_customer ON orders (customer_id, placed_at);

CREATE TABLE refunds (
    id           text NOT NULL PRIMARY KEY,
    call_sid     text NOT NULL,
    tool_call_id text NOT NULL,
    order_id     text NOT NULL REFERENCES orders (id),
    customer_id  text NOT NULL,
    amount_cents bigint NOT NULL CHECK (amount_cents > 0),
    currency     text NOT NULL,
    reason       text NOT NULL,
    created_at   timestamptz NOT NULL,
    CONSTRAINT uq_refunds_call_order UNIQUE (call_sid, order_id)
);
CREATE INDEX ix_refunds_order ON refunds (order_id);

CREATE TABLE tool_audit (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_sid     text NOT NULL,
    tool_call_id text NOT NULL,
    tool         text NOT NULL,
    outcome      text NOT NULL,
    reason       text NOT NULL,
    customer_id  text,
    order_id     text,
    amount_cents bigint,
    detail       text NOT NULL,
    at           timestamptz NOT NULL
);
CREATE INDEX ix_tool_audit_call ON tool_audit (call_sid, id);
CREATE INDEX ix_tool_audit_at ON tool_audit (at);

CREATE TABLE calls (
    call_sid           text NOT NULL PRIMARY KEY,
    account_sid        text NOT NULL,
    from_number        text,
    to_number          text,
    caller_attestation text,
    profile            text NOT NULL,
    created_at         timestamptz NOT NULL,
    ended_at           timestamptz,
    end_reason         text,
    call_status        text,
    recording_sid      text,
    version            bigint NOT NULL
);
CREATE INDEX ix_calls_from ON calls (from_number);
CREATE INDEX ix_calls_to ON calls (to_number);
CREATE INDEX ix_calls_created ON calls (created_at);

CREATE TABLE call_status_history (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_sid text NOT NULL REFERENCES calls (call_sid),
    source   text NOT NULL,
    status   text NOT NULL,
    at       timestamptz NOT NULL,
    detail   text
);
CREATE INDEX ix_call_status_history_call ON call_status_history (call_sid, id);

CREATE TABLE streams (
    call_sid    text NOT NULL REFERENCES calls (call_sid),
    ordinal     integer NOT NULL,
    issued_at   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    claimed_at  timestamptz,
    stream_sid  text,
    ended_at    timestamptz,
    end_reason  text,
    next_action jsonb,
    PRIMARY KEY (call_sid, ordinal)
);

CREATE TABLE transcripts (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_sid text NOT NULL REFERENCES calls (call_sid),
    at_ticks bigint NOT NULL,
    speaker  text NOT NULL,
    text     text NOT NULL,
    kind     text NOT NULL
);
CREATE INDEX ix_transcripts_call ON transcripts (call_sid, id);

CREATE TABLE handoffs (
    id          text NOT NULL PRIMARY KEY,
    call_sid    text NOT NULL,
    reason      text NOT NULL,
    summary     text NOT NULL,
    customer_id text,
    target      text NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX ix_handoffs_call ON handoffs (call_sid, created_at);

CREATE TABLE callbacks (
    id                 text NOT NULL PRIMARY KEY,
    call_sid           text NOT NULL,
    customer_id        text,
    phone_e164         text NOT NULL,
    due_at             timestamptz NOT NULL,
    due_offset_minutes integer NOT NULL,
    time_zone          text NOT NULL,
    topic              text NOT NULL,
    created_at         timestamptz NOT NULL
);
CREATE INDEX ix_callbacks_call ON callbacks (call_sid, created_at);
CREATE INDEX ix_callbacks_phone ON callbacks (phone_e164);

CREATE TABLE call_verifications (
    call_sid        text NOT NULL PRIMARY KEY,
    customer_id     text,
    failed_attempts integer NOT NULL DEFAULT 0,
    verified_at     timestamptz,
    locked_at       timestamptz,
    updated_at      timestamptz NOT NULL
);
