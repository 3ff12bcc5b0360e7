-- Closed invoices. A month's invoice is closed a grace period after the month ends: its lines and totals are copied
-- here and never change again. A usage event that arrives after its month closed is billed in the open month of its
-- arrival as an adjustment line (adjustment_for names the month it ran in; occurred_at stays the original time).

-- The invoice a line is on: its own UTC month, or for an adjustment the open month it arrived in.
ALTER TABLE usage_ledger ADD COLUMN invoice_month DATE;
-- For an adjustment line, the (closed) month the request ran in; null for a line billed in its own month.
ALTER TABLE usage_ledger ADD COLUMN adjustment_for DATE;
UPDATE usage_ledger SET invoice_month = date_trunc('month', usage_day)::date;
ALTER TABLE usage_ledger ALTER COLUMN invoice_month SET NOT NULL;
ALTER TABLE usage_ledger ADD CONSTRAINT usage_ledger_invoice_month_ck
    CHECK (extract(day FROM invoice_month) = 1 AND (adjustment_for IS NULL OR adjustment_for < invoice_month));

CREATE INDEX usage_ledger_invoice_idx ON usage_ledger (invoice_month, account_id);

-- Months closed so far, for every account at once: a month is closed once its row exists, and months close in order,
-- so every month up to the newest row is closed. The primary key is the last guard against closing twice.
CREATE TABLE closed_period (
    period    DATE        PRIMARY KEY CHECK (extract(day FROM period) = 1),
    closed_at TIMESTAMPTZ NOT NULL
);

-- One closed invoice per account and month that had lines: the totals as they were at closing.
CREATE TABLE invoice (
    account_id              VARCHAR(200)   NOT NULL,
    period                  DATE           NOT NULL REFERENCES closed_period (period),
    closed_at               TIMESTAMPTZ    NOT NULL,
    request_count           BIGINT         NOT NULL,
    answered_request_count  BIGINT         NOT NULL,
    input_tokens            BIGINT         NOT NULL,
    cached_tokens           BIGINT         NOT NULL,
    output_tokens           BIGINT         NOT NULL,
    provider_cost_usd       NUMERIC(24, 8) NOT NULL,
    routing_fee_usd         NUMERIC(24, 8) NOT NULL,
    total_usd               NUMERIC(24, 8) NOT NULL,
    PRIMARY KEY (account_id, period),
    CONSTRAINT invoice_total_ck CHECK (total_usd = provider_cost_usd + routing_fee_usd)
);

-- The closed invoice's lines: one per model and provider, adjustments apart per month they ran in.
CREATE TABLE invoice_line (
    id                      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id              VARCHAR(200)   NOT NULL,
    period                  DATE           NOT NULL,
    model                   VARCHAR(200),
    provider                VARCHAR(40),
    adjustment_for          DATE,
    request_count           BIGINT         NOT NULL,
    answered_request_count  BIGINT         NOT NULL,
    input_tokens            BIGINT         NOT NULL,
    cached_tokens           BIGINT         NOT NULL,
    output_tokens           BIGINT         NOT NULL,
    provider_cost_usd       NUMERIC(24, 8) NOT NULL,
    routing_fee_usd         NUMERIC(24, 8) NOT NULL,
    total_usd               NUMERIC(24, 8) NOT NULL,
    FOREIGN KEY (account_id, period) REFERENCES invoice (account_id, period) ON DELETE CASCADE
);

CREATE INDEX invoice_line_invoice_idx ON invoice_line (account_id, period);
