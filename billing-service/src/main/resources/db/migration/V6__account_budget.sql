-- Each account's monthly spend limit, set through /api/billing/budget; no row means no budget.
CREATE TABLE account_budget (
    account_id        VARCHAR(200)   PRIMARY KEY,
    monthly_limit_usd NUMERIC(20, 8) NOT NULL CHECK (monthly_limit_usd >= 0),
    updated_at        TIMESTAMPTZ    NOT NULL
);
