-- Closed invoices carry the prompt-cache write counts of their lines and totals, as the ledger does since V8. A month
-- closed before this migration keeps its snapshot as it was (it never changes after closing): it reads 0 writes, and
-- its dollar amounts already include whatever writes were billed.
ALTER TABLE invoice
    ADD COLUMN cache_write_5m_tokens BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN cache_write_1h_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE invoice_line
    ADD COLUMN cache_write_5m_tokens BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN cache_write_1h_tokens BIGINT NOT NULL DEFAULT 0;
