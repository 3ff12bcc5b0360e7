-- The public API a request came in through, and whether its token counts are the provider's own or TokenHub's
-- estimate, as the usage event says them. Lines billed before the event carried them take what such events read as:
-- chat.completions (their embeddings requests cannot be told apart any more), and an estimate only for a cancelled
-- stream (Google embeddings, estimated too, cannot be told apart either). The same rule as UsageEvent's, so a redelivered old event still
-- matches its line instead of being set aside as a conflicting duplicate.
ALTER TABLE usage_ledger
    ADD COLUMN api VARCHAR(40) NOT NULL DEFAULT 'chat.completions'
        CHECK (api IN ('chat.completions', 'responses', 'messages', 'embeddings')),
    ADD COLUMN usage_source VARCHAR(20) NOT NULL DEFAULT 'reported'
        CHECK (usage_source IN ('reported', 'estimated'));

UPDATE usage_ledger SET usage_source = 'estimated' WHERE status = 'CANCELLED' AND streamed;
