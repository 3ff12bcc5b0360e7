-- Each account's running total per invoice month and API key, so publishing an account's month-to-date spend reads a
-- row per key instead of summing every ledger line of the month (hundreds of millions for a busy account).
--
-- Triggers on usage_ledger keep it exactly in step, in the transaction that writes the ledger, whoever writes it: the
-- ingester's INSERT ... ON CONFLICT DO NOTHING (a redelivery inserts no row, so it adds nothing; late events are
-- inserts on an open month), the retention purge (its deletes subtract: the table always equals the ledger summed, so
-- it can be checked against it at any time; purges touch closed months only, never the month being published), a
-- replica of the previous release still running during a rolling deploy, a correction by hand.

-- Written by the statements below only; the ledger is the truth and this is its sum.
CREATE TABLE account_key_spend (
    account_id    VARCHAR(200)   NOT NULL,
    invoice_month DATE           NOT NULL,
    -- Lines made without a key (key_id null in the ledger) sum into the row with keyed false and key_id ''. A flag
    -- rather than '' alone, because an event may carry '' as its key id, and that key must stay a key of its own.
    keyed         BOOLEAN        NOT NULL,
    key_id        VARCHAR(200)   NOT NULL CHECK (keyed OR key_id = ''),
    -- No CHECK that it stays positive: a subtraction is an upsert of a negative row, which PostgreSQL checks before
    -- it finds the stored row to add it to.
    line_count    BIGINT         NOT NULL,
    total_usd     NUMERIC(24, 8) NOT NULL,
    PRIMARY KEY (account_id, invoice_month, keyed, key_id)
);

-- Adds the lines in new_lines and subtracts those in old_lines (transition tables, so one grouped statement per ledger
-- statement, not one per line). The upsert's ON CONFLICT DO UPDATE adds to the stored row atomically, so two ingesters
-- adding to the same row at once both count; its rows go in key order, so two of them never lock rows in opposite
-- orders and deadlock. A row no line is left in (its month purged) goes, so the table stays as small as the ledger's
-- months. search_path is pinned because the ledger's writers name the schema themselves and may have none set.
CREATE FUNCTION account_key_spend_apply() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO account_key_spend AS s (account_id, invoice_month, keyed, key_id, line_count, total_usd)
        SELECT account_id, invoice_month, key_id IS NOT NULL, coalesce(key_id, ''), -count(*), -sum(total_usd)
        FROM old_lines
        GROUP BY 1, 2, 3, 4
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (account_id, invoice_month, keyed, key_id) DO UPDATE
            SET line_count = s.line_count + EXCLUDED.line_count, total_usd = s.total_usd + EXCLUDED.total_usd;
        DELETE FROM account_key_spend s
        USING (SELECT DISTINCT account_id, invoice_month, key_id IS NOT NULL AS keyed, coalesce(key_id, '') AS key_id
               FROM old_lines) gone
        WHERE s.account_id = gone.account_id AND s.invoice_month = gone.invoice_month AND s.keyed = gone.keyed
          AND s.key_id = gone.key_id AND s.line_count = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO account_key_spend AS s (account_id, invoice_month, keyed, key_id, line_count, total_usd)
        SELECT account_id, invoice_month, key_id IS NOT NULL, coalesce(key_id, ''), count(*), sum(total_usd)
        FROM new_lines
        GROUP BY 1, 2, 3, 4
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (account_id, invoice_month, keyed, key_id) DO UPDATE
            SET line_count = s.line_count + EXCLUDED.line_count, total_usd = s.total_usd + EXCLUDED.total_usd;
    END IF;
    RETURN NULL;
END
$$;

-- Nothing may write the ledger between the backfill below and the triggers taking over; a replica still running the
-- previous release waits here until this migration commits, and its lines are counted by the triggers from then on.
LOCK TABLE usage_ledger IN SHARE ROW EXCLUSIVE MODE;

-- PostgreSQL allows transition tables on single-event triggers only, hence three.
CREATE TRIGGER usage_ledger_spend_insert AFTER INSERT ON usage_ledger
    REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION account_key_spend_apply();
CREATE TRIGGER usage_ledger_spend_update AFTER UPDATE ON usage_ledger
    REFERENCING OLD TABLE AS old_lines NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION account_key_spend_apply();
CREATE TRIGGER usage_ledger_spend_delete AFTER DELETE ON usage_ledger
    REFERENCING OLD TABLE AS old_lines
    FOR EACH STATEMENT EXECUTE FUNCTION account_key_spend_apply();

INSERT INTO account_key_spend (account_id, invoice_month, keyed, key_id, line_count, total_usd)
SELECT account_id, invoice_month, key_id IS NOT NULL, coalesce(key_id, ''), count(*), sum(total_usd)
FROM usage_ledger
GROUP BY 1, 2, 3, 4;
