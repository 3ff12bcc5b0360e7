package io.tokenhub.dashboard.support;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One account's conversation with TokenHub support; an account has at most one open at a time. */
@Entity
@Table(name = "support_conversation")
public class SupportConversation extends PanacheEntityBase {

    public static final String OPEN = "open";
    public static final String CLOSED = "closed";

    @Id
    public Long id;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(nullable = false)
    public String status;

    @Column(name = "awaiting_support", nullable = false)
    public boolean awaitingSupport;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Optional<SupportConversation> openOf(String accountId) {
        return find("accountId = ?1 and status = ?2", accountId, OPEN).firstResultOptional();
    }

    /** Every open conversation, the most recently active first: the support inbox. */
    public static List<SupportConversation> allOpen() {
        return list("status = ?1 order by updatedAt desc", OPEN);
    }
}
