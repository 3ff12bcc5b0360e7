package io.tokenhub.gateway.keys;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A TokenHub API key as stored; only the hash of its secret is kept.
 *
 * @param id the public part of the key, its primary key
 * @param accountId the account it belongs to
 * @param name a label for people
 * @param secretHash SHA-256 of the whole key
 * @param createdAt when it was made
 * @param lastUsedAt when it was last seen, as flushed so far; null if never
 * @param expiresAt end of validity; null for none
 * @param revokedAt when it was revoked; null while it is not
 * @param monthlyBudgetUsd the key's monthly spend limit in USD; null for none
 */
public record ApiKey(
        String id,
        String accountId,
        String name,
        byte[] secretHash,
        Instant createdAt,
        Instant lastUsedAt,
        Instant expiresAt,
        Instant revokedAt,
        BigDecimal monthlyBudgetUsd) {

    /** Whether the key may be used at {@code now}: neither revoked nor expired. */
    boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
