-- Prompt-cache writes, which Anthropic bills above the input rate (1.25x for a 5-minute write, 2x for a 1-hour one):
-- their token counts, part of input_tokens as cached_tokens are, and the two rates applied. Lines billed before the
-- usage event carried the counts read as 0 writes, as such events do, so a redelivered old event still matches its
-- line; those lines billed any writes at the input rate, which input_usd_per_1m already records.
ALTER TABLE usage_ledger
    ADD COLUMN cache_write_5m_tokens BIGINT NOT NULL DEFAULT 0 CHECK (cache_write_5m_tokens >= 0),
    ADD COLUMN cache_write_1h_tokens BIGINT NOT NULL DEFAULT 0 CHECK (cache_write_1h_tokens >= 0),
    ADD COLUMN cache_write_5m_usd_per_1m NUMERIC,
    ADD COLUMN cache_write_1h_usd_per_1m NUMERIC,
    ADD CONSTRAINT usage_ledger_cache_within_input_ck
        CHECK (cached_tokens + cache_write_5m_tokens + cache_write_1h_tokens <= input_tokens);
