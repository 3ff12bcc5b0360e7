package io.tokenhub.dashboard.support;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.qute.TemplateData;
import io.tokenhub.service.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The support conversations in PostgreSQL: a member's message opens its account's conversation when none is open,
 * support's answers go into the open one, closing ends it. Every message is stored before anyone is told of it.
 */
@ApplicationScoped
public class SupportChat {

    static final String MEMBER = "member";
    static final String SUPPORT = "support";

    /**
     * One open conversation in the support inbox.
     *
     * @param account whose it is
     * @param updatedAt when its last message was written
     * @param unanswered whether the member's last message still waits for support
     */
    @TemplateData
    public record InboxRow(String account, Instant updatedAt, boolean unanswered) {}

    /**
     * Stores a message in {@code account}'s open conversation, opening one for a member's message.
     *
     * @param fromSupport whether TokenHub support writes it (an administrator), else the account's member
     * @return the stored message; a support answer with no open conversation is refused
     */
    @Transactional
    public ChatMessage post(String account, boolean fromSupport, String authorName, String body, String requestId) {
        // Microseconds: what PostgreSQL keeps, so a message reads back exactly as it was broadcast.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (!fromSupport) {
            // The partial unique index makes this race-free: two first messages at once share one conversation. Native
            // SQL is not given Hibernate's default schema, so the table is named with its schema.
            Panache.getEntityManager()
                    .createNativeQuery("INSERT INTO support.support_conversation (account_id, status, awaiting_support,"
                            + " created_at, updated_at) VALUES (?1, 'open', true, ?2, ?2)"
                            + " ON CONFLICT (account_id) WHERE status = 'open' DO NOTHING")
                    .setParameter(1, account)
                    .setParameter(2, now)
                    .executeUpdate();
        }
        SupportConversation conversation = SupportConversation.openOf(account)
                .orElseThrow(() -> ApiException.notFound("The account has no open support conversation."));
        conversation.awaitingSupport = !fromSupport;
        conversation.updatedAt = now;
        SupportMessage message = new SupportMessage();
        message.conversationId = conversation.id;
        message.authorRole = fromSupport ? SUPPORT : MEMBER;
        message.authorName = authorName.length() > 128 ? authorName.substring(0, 128) : authorName;
        message.body = body;
        message.requestId = requestId;
        message.createdAt = now;
        message.persist();
        return ChatMessage.of(account, message);
    }

    /** The messages of {@code account}'s open conversation, oldest first; empty when none is open. */
    @Transactional
    public List<ChatMessage> conversation(String account) {
        return SupportConversation.openOf(account)
                .map(c -> SupportMessage.of(c.id).stream()
                        .map(m -> ChatMessage.of(account, m))
                        .toList())
                .orElse(List.of());
    }

    /** Every open conversation, the most recently active first. */
    @Transactional
    public List<InboxRow> inbox() {
        return SupportConversation.allOpen().stream()
                .map(c -> new InboxRow(c.accountId, c.updatedAt, c.awaitingSupport))
                .toList();
    }

    /** Closes {@code account}'s open conversation; whether there was one. */
    @Transactional
    public boolean close(String account) {
        return SupportConversation.openOf(account)
                .map(c -> {
                    c.status = SupportConversation.CLOSED;
                    c.updatedAt = Instant.now();
                    return true;
                })
                .orElse(false);
    }
}
