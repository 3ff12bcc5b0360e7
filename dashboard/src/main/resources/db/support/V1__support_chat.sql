-- Support chat: the only text a person typed that TokenHub stores. API prompts and answers never come here.
CREATE TABLE support_conversation (
    id               BIGSERIAL PRIMARY KEY,
    account_id       VARCHAR(128) NOT NULL,
    status           VARCHAR(8)   NOT NULL CHECK (status IN ('open', 'closed')),
    -- true while the member's last message has no answer yet: the inbox's "unanswered" flag without a scan
    awaiting_support BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at       TIMESTAMPTZ  NOT NULL,
    updated_at       TIMESTAMPTZ  NOT NULL
);
-- At most one open conversation per account, so two first messages sent at once land in the same one.
CREATE UNIQUE INDEX support_conversation_open_account ON support_conversation (account_id) WHERE status = 'open';
CREATE INDEX support_conversation_open_updated ON support_conversation (updated_at DESC) WHERE status = 'open';

CREATE TABLE support_message (
    id              BIGSERIAL PRIMARY KEY,
    conversation_id BIGINT        NOT NULL REFERENCES support_conversation (id),
    author_role     VARCHAR(8)    NOT NULL CHECK (author_role IN ('member', 'support')),
    author_name     VARCHAR(128)  NOT NULL,
    body            VARCHAR(4000) NOT NULL,
    request_id      VARCHAR(128),
    created_at      TIMESTAMPTZ   NOT NULL
);
CREATE INDEX support_message_conversation ON support_message (conversation_id, id);
