package io.tokenhub.dashboard.support;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.qute.TemplateData;
import java.time.Instant;

/**
 * A support message as the pages and the socket show it.
 *
 * @param id the message's id, so a page that loaded it and then hears it live shows it once
 * @param account the account whose conversation it belongs to
 * @param authorRole {@code member} or {@code support}
 * @param authorName who wrote it
 * @param body the text, always rendered as text
 * @param requestId the ledger request it is about, or null
 * @param createdAt when it was stored
 */
@TemplateData
public record ChatMessage(
        long id,
        String account,
        @JsonProperty("author_role") String authorRole,
        @JsonProperty("author_name") String authorName,
        String body,
        @JsonProperty("request_id") String requestId,
        @JsonProperty("created_at") Instant createdAt) {

    static ChatMessage of(String account, SupportMessage message) {
        return new ChatMessage(
                message.id,
                account,
                message.authorRole,
                message.authorName,
                message.body,
                message.requestId,
                message.createdAt);
    }

    /** Whether TokenHub support wrote it. */
    public boolean fromSupport() {
        return SupportChat.SUPPORT.equals(authorRole);
    }
}
