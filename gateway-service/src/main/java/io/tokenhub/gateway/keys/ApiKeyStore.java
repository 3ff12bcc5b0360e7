package io.tokenhub.gateway.keys;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Accounts and API keys in PostgreSQL, in plain JDBC on the Agroal pool: two small tables did not need an ORM, and
 * Hibernate was about 30 % of the classes the gateway loaded. Every statement binds its values; table names carry the
 * schema because the connection's search path may not name it.
 */
@ApplicationScoped
public class ApiKeyStore {

    private static final String COLUMNS =
            "id, account_id, name, secret_hash, created_at, last_used_at, expires_at, revoked_at, monthly_budget_usd";

    private final AgroalDataSource dataSource;
    private final String account;
    private final String apiKey;

    /** @param schemas Flyway's schemas; it makes its tables in the first, so that is where the keys are */
    public ApiKeyStore(
            AgroalDataSource dataSource, @ConfigProperty(name = "quarkus.flyway.schemas") List<String> schemas) {
        this.dataSource = dataSource;
        this.account = schemas.get(0) + ".account";
        this.apiKey = schemas.get(0) + ".api_key";
    }

    /**
     * Stores a new key, and its account first if that is new. One JDBC transaction rather than JTA: it is the only
     * write of more than one statement, and a key must not be stored without its account nor an account made for a
     * key that failed. Agroal still brings Narayana, but a connection outside a JTA transaction is a plain one.
     */
    public void create(ApiKey key) {
        run(connection -> {
            // Agroal sets auto-commit back when the connection returns to the pool.
            connection.setAutoCommit(false);
            try (PreparedStatement insertAccount = connection.prepareStatement(
                            "insert into " + account + " (id, created_at) values (?, ?) on conflict (id) do nothing");
                    PreparedStatement insertKey = connection.prepareStatement("insert into " + apiKey
                            + " (id, account_id, name, secret_hash, created_at, expires_at, monthly_budget_usd)"
                            + " values (?, ?, ?, ?, ?, ?, ?)")) {
                insertAccount.setString(1, key.accountId());
                setTime(insertAccount, 2, key.createdAt());
                insertAccount.executeUpdate();
                insertKey.setString(1, key.id());
                insertKey.setString(2, key.accountId());
                insertKey.setString(3, key.name());
                insertKey.setBytes(4, key.secretHash());
                setTime(insertKey, 5, key.createdAt());
                setTime(insertKey, 6, key.expiresAt());
                insertKey.setBigDecimal(7, key.monthlyBudgetUsd());
                insertKey.executeUpdate();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
            return null;
        });
    }

    /** The key with {@code id}, if there is one. */
    public Optional<ApiKey> find(String id) {
        return run(connection -> {
            try (PreparedStatement select =
                    connection.prepareStatement("select " + COLUMNS + " from " + apiKey + " where id = ?")) {
                select.setString(1, id);
                List<ApiKey> found = keys(select);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
            }
        });
    }

    /** The keys with these ids that exist, in one query. */
    public List<ApiKey> findAll(List<String> ids) {
        return run(connection -> {
            try (PreparedStatement select =
                    connection.prepareStatement("select " + COLUMNS + " from " + apiKey + " where id = any (?)")) {
                Array array = connection.createArrayOf("varchar", ids.toArray());
                select.setArray(1, array);
                return keys(select);
            }
        });
    }

    /** Every key of {@code accountId}, newest first. */
    public List<ApiKey> ofAccount(String accountId) {
        return run(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "select " + COLUMNS + " from " + apiKey + " where account_id = ? order by created_at desc")) {
                select.setString(1, accountId);
                return keys(select);
            }
        });
    }

    /** Marks the key revoked at {@code at}; false when it already was (its first revocation time stays). */
    public boolean revoke(String id, Instant at) {
        return run(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "update " + apiKey + " set revoked_at = ? where id = ? and revoked_at is null")) {
                setTime(update, 1, at);
                update.setString(2, id);
                return update.executeUpdate() == 1;
            }
        });
    }

    /** Sets or (with null) removes the monthly budget of a key of {@code accountId}; the key as now stored. */
    public Optional<ApiKey> setBudget(String accountId, String id, BigDecimal monthlyBudgetUsd) {
        return run(connection -> {
            try (PreparedStatement update = connection.prepareStatement("update " + apiKey
                    + " set monthly_budget_usd = ? where id = ? and account_id = ? returning " + COLUMNS)) {
                update.setBigDecimal(1, monthlyBudgetUsd);
                update.setString(2, id);
                update.setString(3, accountId);
                List<ApiKey> changed = keys(update);
                return changed.isEmpty() ? Optional.empty() : Optional.of(changed.get(0));
            }
        });
    }

    /**
     * Writes last-used times in one JDBC batch, not a statement and a round trip per key; a time never moves back, so
     * replicas that flush in any order keep the latest.
     */
    public void touch(Map<String, Instant> lastUsed) {
        run(connection -> {
            try (PreparedStatement update = connection.prepareStatement("update " + apiKey
                    + " set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)")) {
                for (Map.Entry<String, Instant> used : lastUsed.entrySet()) {
                    setTime(update, 1, used.getValue());
                    update.setString(2, used.getKey());
                    setTime(update, 3, used.getValue());
                    update.addBatch();
                }
                update.executeBatch();
            }
            return null;
        });
    }

    private <T> T run(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.on(connection);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static List<ApiKey> keys(PreparedStatement select) throws SQLException {
        List<ApiKey> keys = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                keys.add(new ApiKey(
                        rows.getString("id"),
                        rows.getString("account_id"),
                        rows.getString("name"),
                        rows.getBytes("secret_hash"),
                        time(rows, "created_at"),
                        time(rows, "last_used_at"),
                        time(rows, "expires_at"),
                        time(rows, "revoked_at"),
                        rows.getBigDecimal("monthly_budget_usd")));
            }
        }
        return keys;
    }

    private static Instant time(ResultSet rows, String column) throws SQLException {
        OffsetDateTime at = rows.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }

    private static void setTime(PreparedStatement statement, int index, Instant at) throws SQLException {
        statement.setObject(index, at == null ? null : at.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
    }

    /** What one use of a pooled connection does. */
    @FunctionalInterface
    private interface Work<T> {

        T on(Connection connection) throws SQLException;
    }

    /** The database refused a statement or could not be reached. */
    public static final class StoreException extends RuntimeException {

        StoreException(SQLException cause) {
            super(cause);
        }
    }
}
