package io.tokenhub.dashboard.support;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** One message of a support conversation, from the account's member or from TokenHub support. */
@Entity
@Table(name = "support_message")
public class SupportMessage extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "conversation_id", nullable = false)
    public long conversationId;

    @Column(name = "author_role", nullable = false)
    public String authorRole;

    @Column(name = "author_name", nullable = false)
    public String authorName;

    @Column(nullable = false, length = SupportText.MAX_BODY)
    public String body;

    @Column(name = "request_id")
    public String requestId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static List<SupportMessage> of(long conversationId) {
        return list("conversationId = ?1 order by id", conversationId);
    }
}
