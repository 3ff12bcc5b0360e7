-- Per-account retention of request metadata set through /api/billing/retention (administrators); it overrides the
-- configured tokenhub.billing.retention.accounts and default-days.
CREATE TABLE account_retention (
    account_id VARCHAR(200) PRIMARY KEY,
    days       INTEGER      NOT NULL CHECK (days >= 1),
    updated_at TIMESTAMPTZ  NOT NULL
);
