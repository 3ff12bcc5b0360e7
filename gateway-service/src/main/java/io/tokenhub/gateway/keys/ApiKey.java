package io.tokenhub.gateway.keys;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A TokenHub API key; only the hash of its secret is kept. */
@Entity
@Table(name = "api_key")
public class ApiKey extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(nullable = false)
    public String name;

    @Column(name = "secret_hash", nullable = false)
    public byte[] secretHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** The key's monthly spend limit in USD; null for none. */
    @Column(name = "monthly_budget_usd")
    public BigDecimal monthlyBudgetUsd;

    public static List<ApiKey> ofAccount(String accountId) {
        return list("accountId = ?1 order by createdAt desc", accountId);
    }

    public static long countOfAccount(String accountId) {
        return count("accountId", accountId);
    }
}
