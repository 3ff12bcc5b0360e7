-- The API key's name as its owner gave it when the request was made, so usage by key can name keys. Nullable: lines
-- billed before it existed have none.
ALTER TABLE usage_ledger ADD COLUMN key_name VARCHAR(200);
