package io.tokenhub.billing.it;

import io.tokenhub.infra.ChildProcesses;
import io.tokenhub.infra.DevTokens;
import io.tokenhub.infra.FreePorts;
import io.tokenhub.infra.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged billing-service ({@code target/quarkus-app/quarkus-run.jar}, built by {@code mvn package} before
 * failsafe runs) in a JVM of its own, so a test can kill it for real (SIGKILL) and start it again.
 */
final class BillingProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private final Process process;
    /** The management interface's port, where health and metrics are; the test never calls the API port. */
    private final int managementPort;

    private BillingProcess(Process process, int managementPort) {
        this.process = process;
        this.managementPort = managementPort;
    }

    /**
     * Where a child service reads from and writes to.
     *
     * @param database a database of its own on the shared PostgreSQL server
     * @param topic the usage topic it consumes (the dead letters go to {@code topic + ".dlq"})
     */
    record Setup(String bootstrap, LocalPostgres postgres, String database, String topic, String group) {

        String jdbcUrl() {
            return postgres.jdbcUrl().replaceFirst("/postgres$", "/" + database);
        }

        /** Creates the database afresh. */
        void createDatabase() {
            try (Connection c =
                            DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database);
                s.execute("CREATE DATABASE " + database);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Runs {@code sql}, which returns one number, against the service's database. */
        long queryLong(String sql) {
            try (Connection c = DriverManager.getConnection(jdbcUrl(), postgres.username(), postgres.password());
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        BigDecimal queryDecimal(String sql) {
            try (Connection c = DriverManager.getConnection(jdbcUrl(), postgres.username(), postgres.password());
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getBigDecimal(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Starts the service and waits until it reports ready. */
    static BillingProcess start(Setup setup, Path log) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run mvn package first");
        }
        int port = FreePorts.next();
        int managementPort = FreePorts.next();
        Map<String, String> props = Map.ofEntries(
                Map.entry("quarkus.http.port", Integer.toString(port)),
                Map.entry("quarkus.management.port", Integer.toString(managementPort)),
                Map.entry("kafka.bootstrap.servers", setup.bootstrap()),
                Map.entry("quarkus.datasource.jdbc.url", setup.jdbcUrl()),
                Map.entry("quarkus.datasource.username", setup.postgres().username()),
                Map.entry("quarkus.datasource.password", setup.postgres().password()),
                Map.entry("quarkus.oidc.public-key", DevTokens.generate().publicKey()),
                Map.entry("quarkus.oidc.token.issuer", DevTokens.ISSUER),
                Map.entry("mp.messaging.incoming.usage.topic", setup.topic()),
                Map.entry("mp.messaging.incoming.usage.group.id", setup.group()),
                Map.entry("tokenhub.billing.dead-letter-topic", setup.topic() + ".dlq"),
                Map.entry(
                        "tokenhub.catalog.path",
                        Path.of("src/test/resources/test-catalog.yaml")
                                .toAbsolutePath()
                                .toString()));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-XX:+UseSerialGC"));
        props.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(JAR.toString());
        BillingProcess service =
                new BillingProcess(ChildProcesses.startLogged(new ProcessBuilder(command), log), managementPort);
        service.awaitReady(Duration.ofSeconds(90), log);
        return service;
    }

    /** SIGKILL: no shutdown hook, no last commit, exactly what a crashed pod or an OOM kill looks like. */
    void kill() throws InterruptedException {
        if (!ChildProcesses.kill(process)) {
            throw new IllegalStateException("billing-service did not die");
        }
    }

    /** The service's Prometheus page. */
    String metrics() {
        return get("/q/metrics").body();
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
    }

    /** The sum of the Prometheus samples of {@code name} carrying {@code label} (e.g. {@code outcome="duplicate"}). */
    static double counter(String metrics, String name, String label) {
        return metrics.lines()
                .filter(l -> (l.startsWith(name + "{") || l.startsWith(name + " ")) && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private void awaitReady(Duration timeout, Path log) {
        URI ready = URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready");
        switch (ChildProcesses.awaitOk(process, ready, timeout, Duration.ofMillis(250))) {
            case READY -> {}
            case EXITED ->
                throw new IllegalStateException("billing-service exited with " + process.exitValue() + "; see " + log);
            case TIMED_OUT -> {
                ChildProcesses.stop(process);
                throw new IllegalStateException("billing-service not ready within " + timeout + "; see " + log);
            }
        }
    }

    private HttpResponse<String> get(String path) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
