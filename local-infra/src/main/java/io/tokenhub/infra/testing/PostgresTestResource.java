package io.tokenhub.infra.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tokenhub.infra.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** Real PostgreSQL for {@code *IT} tests, one server per test JVM. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static LocalPostgres postgres;

    public static synchronized LocalPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = LocalPostgres.start(Files.createTempDirectory("tokenhub-pg-it"), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return postgres;
    }

    @Override
    public Map<String, String> start() {
        LocalPostgres pg = postgres();
        return Map.of(
                "quarkus.datasource.jdbc.url",
                pg.jdbcUrl(),
                "quarkus.datasource.username",
                pg.username(),
                "quarkus.datasource.password",
                pg.password());
    }

    @Override
    public void stop() {
        // Shared with later test classes of this JVM; its shutdown hook stops it when the JVM ends.
    }
}
