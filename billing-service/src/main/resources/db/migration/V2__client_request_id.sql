-- The request id is now always made by the gateway; the client's own X-Inferoute-Request-Id is kept here as a
-- correlation id only. Nullable: lines billed before it existed, and requests sent without one, have none.
ALTER TABLE usage_ledger ADD COLUMN client_request_id VARCHAR(200);

CREATE INDEX usage_ledger_client_request_idx ON usage_ledger (account_id, client_request_id)
    WHERE client_request_id IS NOT NULL;
