-- Accounts are created on first use by their identity-provider id; API keys are stored as SHA-256 hashes only.
create table account (
    id          varchar(128) primary key,
    created_at  timestamptz  not null
);

create table api_key (
    id           varchar(32)  primary key,
    account_id   varchar(128) not null references account (id),
    name         varchar(200) not null,
    secret_hash  bytea        not null,
    created_at   timestamptz  not null,
    last_used_at timestamptz,
    expires_at   timestamptz,
    revoked_at   timestamptz
);

create index api_key_account_idx on api_key (account_id, created_at desc);
