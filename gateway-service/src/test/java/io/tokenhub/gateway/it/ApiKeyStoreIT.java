package io.tokenhub.gateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenhub.gateway.keys.ApiKey;
import io.tokenhub.gateway.keys.ApiKeyFormat;
import io.tokenhub.gateway.keys.ApiKeyStore;
import io.tokenhub.infra.testing.PostgresTestResource;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The key store on the real schema Flyway made: every column written and read back as it was, money exact and times
 * to the microsecond PostgreSQL keeps, and a key never stored without its account.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ApiKeyStoreIT {

    @Inject
    ApiKeyStore store;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aKeyIsReadBackWithEveryColumnAsWritten() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ApiKey written = new ApiKey(
                ApiKeyFormat.generate().id(),
                account(),
                "ci",
                new byte[] {1, 2, 3},
                now,
                null,
                now.plus(1, ChronoUnit.DAYS),
                null,
                new BigDecimal("12.34500001"));
        store.create(written);

        ApiKey read = store.find(written.id()).orElseThrow();
        assertEquals(written.accountId(), read.accountId());
        assertEquals("ci", read.name());
        assertArrayEquals(written.secretHash(), read.secretHash());
        assertEquals(now, read.createdAt());
        assertNull(read.lastUsedAt());
        assertEquals(written.expiresAt(), read.expiresAt());
        assertNull(read.revokedAt());
        assertEquals("12.34500001", read.monthlyBudgetUsd().toPlainString());
        assertTrue(store.find(ApiKeyFormat.generate().id()).isEmpty());
    }

    @Test
    void anAccountsKeysAreListedNewestFirstAndNoOtherAccounts() {
        String account = account();
        Instant now = Instant.now();
        ApiKey older = key(account, now.minusSeconds(60));
        ApiKey newer = key(account, now);
        store.create(older);
        store.create(newer);
        store.create(key(account(), now));

        assertEquals(
                List.of(newer.id(), older.id()),
                store.ofAccount(account).stream().map(ApiKey::id).toList());
    }

    @Test
    void aBatchReadFindsTheKeysThatExist() {
        ApiKey one = key(account(), Instant.now());
        ApiKey two = key(account(), Instant.now());
        store.create(one);
        store.create(two);

        List<String> found = store
                .findAll(List.of(one.id(), ApiKeyFormat.generate().id(), two.id()))
                .stream()
                .map(ApiKey::id)
                .sorted()
                .toList();
        assertEquals(List.of(one.id(), two.id()).stream().sorted().toList(), found);
    }

    @Test
    void aKeyIsRevokedOnceAndKeepsItsFirstRevocationTime() {
        ApiKey key = key(account(), Instant.now());
        store.create(key);
        Instant first = Instant.now().truncatedTo(ChronoUnit.MICROS);

        assertTrue(store.revoke(key.id(), first));
        assertFalse(store.revoke(key.id(), first.plusSeconds(5)));
        assertEquals(first, store.find(key.id()).orElseThrow().revokedAt());
    }

    @Test
    void aBudgetIsSetOnlyThroughTheKeysOwnAccountAndRemovedWithNull() {
        ApiKey key = key(account(), Instant.now());
        store.create(key);

        assertTrue(store.setBudget(account(), key.id(), BigDecimal.TEN).isEmpty());
        assertEquals(
                "10.50000000",
                store.setBudget(key.accountId(), key.id(), new BigDecimal("10.5"))
                        .orElseThrow()
                        .monthlyBudgetUsd()
                        .toPlainString());
        assertNull(
                store.setBudget(key.accountId(), key.id(), null).orElseThrow().monthlyBudgetUsd());
        assertNull(store.find(key.id()).orElseThrow().monthlyBudgetUsd());
    }

    @Test
    void aLastUseIsWrittenAndNeverMovedBack() {
        ApiKey key = key(account(), Instant.now());
        store.create(key);
        Instant used = Instant.now().truncatedTo(ChronoUnit.MICROS);

        store.touch(Map.of(key.id(), used));
        store.touch(Map.of(key.id(), used.minusSeconds(30)));
        assertEquals(used, store.find(key.id()).orElseThrow().lastUsedAt());
    }

    @Test
    void aKeyThatCannotBeStoredLeavesNoAccountBehind() throws SQLException {
        ApiKey stored = key(account(), Instant.now());
        store.create(stored);
        String account = account();
        ApiKey sameId =
                new ApiKey(stored.id(), account, "again", new byte[] {4}, Instant.now(), null, null, null, null);

        assertThrows(ApiKeyStore.StoreException.class, () -> store.create(sameId));
        assertFalse(accountExists(account));
        assertTrue(accountExists(stored.accountId()));
    }

    private boolean accountExists(String account) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement("select count(*) from gateway.account where id = ?")) {
            select.setString(1, account);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1) == 1;
            }
        }
    }

    private static ApiKey key(String account, Instant createdAt) {
        return new ApiKey(
                ApiKeyFormat.generate().id(), account, "test", new byte[] {9}, createdAt, null, null, null, null);
    }

    private static String account() {
        return "store-" + UUID.randomUUID();
    }
}
