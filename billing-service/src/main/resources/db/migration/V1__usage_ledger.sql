-- One line per billed request. Only metadata from the usage event and the money it cost: no prompt or
-- completion content exists anywhere in this schema.
CREATE TABLE usage_ledger (
    id                             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id                     VARCHAR(200)  NOT NULL,
    request_id                     VARCHAR(200)  NOT NULL,
    key_id                         VARCHAR(200),
    requested_model                VARCHAR(200),
    model                          VARCHAR(200),
    provider                       VARCHAR(40),
    provider_model                 VARCHAR(200),
    input_tokens                   BIGINT        NOT NULL CHECK (input_tokens >= 0),
    output_tokens                  BIGINT        NOT NULL CHECK (output_tokens >= 0),
    cached_tokens                  BIGINT        NOT NULL CHECK (cached_tokens >= 0 AND cached_tokens <= input_tokens),
    latency_ms                     BIGINT        NOT NULL,
    time_to_first_token_ms         BIGINT,
    status                         VARCHAR(20)   NOT NULL,
    http_status                    INTEGER       NOT NULL,
    fallback_attempts              INTEGER       NOT NULL,
    streamed                       BOOLEAN       NOT NULL,
    event_version                  INTEGER       NOT NULL,
    occurred_at                    TIMESTAMPTZ   NOT NULL,
    -- UTC calendar day of occurred_at, so day breakdowns never depend on a session time zone.
    usage_day                      DATE          NOT NULL,
    billed_at                      TIMESTAMPTZ   NOT NULL,
    answered                       BOOLEAN       NOT NULL,
    -- The catalog entry and the rates actually applied, so every line can be re-checked by hand.
    price_effective_from           TIMESTAMPTZ,
    price_tier_above_prompt_tokens BIGINT,
    input_usd_per_1m               NUMERIC,
    cached_input_usd_per_1m        NUMERIC,
    output_usd_per_1m              NUMERIC,
    provider_cost_usd              NUMERIC(20, 8) NOT NULL CHECK (provider_cost_usd >= 0),
    routing_fee_usd                NUMERIC(20, 8) NOT NULL CHECK (routing_fee_usd >= 0),
    total_usd                      NUMERIC(20, 8) NOT NULL,
    -- Idempotency: a redelivered event hits this constraint and is skipped by INSERT ... ON CONFLICT DO NOTHING.
    -- Scoped by account because the gateway keeps a client-chosen request id, so two accounts may send the same one.
    CONSTRAINT usage_ledger_request_uk UNIQUE (account_id, request_id),
    CONSTRAINT usage_ledger_total_ck CHECK (total_usd = provider_cost_usd + routing_fee_usd)
);

CREATE INDEX usage_ledger_account_time_idx ON usage_ledger (account_id, occurred_at DESC, id DESC);
CREATE INDEX usage_ledger_time_idx ON usage_ledger (occurred_at DESC, id DESC);
CREATE INDEX usage_ledger_request_idx ON usage_ledger (request_id);
