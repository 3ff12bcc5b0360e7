package io.tokenhub.suite;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenhub.infra.ChildProcesses;
import io.tokenhub.infra.DevTokens;
import io.tokenhub.infra.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The services' built jars in the production profile, each given everything but one secret: none starts on a default
 * (no {@code postgres}/{@code postgres}, no known cookie key), each stops at once and names what is missing. Every
 * other setting is present, so the failure can only come from the secret left out.
 */
class ProductionDefaultsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path logs;

    static Stream<Arguments> missingSecrets() {
        return Stream.of(
                Arguments.of("gateway-service", "QUARKUS_DATASOURCE_PASSWORD"),
                Arguments.of("gateway-service", "QUARKUS_DATASOURCE_USERNAME"),
                Arguments.of("gateway-service", "TOKENHUB_INTERNAL_SECRET"),
                Arguments.of("routing-service", "TOKENHUB_INTERNAL_SECRET"),
                Arguments.of("billing-service", "QUARKUS_DATASOURCE_PASSWORD"),
                Arguments.of("dashboard", "QUARKUS_DATASOURCE_PASSWORD"),
                Arguments.of("dashboard", "TOKENHUB_DASHBOARD_STATE_SECRET"),
                Arguments.of("dashboard", "TOKENHUB_DASHBOARD_SESSION_SECRET"));
    }

    @ParameterizedTest(name = "{0} without {1}")
    @MethodSource("missingSecrets")
    void aServiceWithoutASecretRefusesToStart(String module, String missing) throws Exception {
        Map<String, String> env = new HashMap<>(everySecret());
        env.remove(missing);
        Path jar = SuiteTests.repoRoot().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx160m",
                "-XX:+UseSerialGC",
                "-jar",
                jar.toString());
        // Only what is given here: nothing inherited from the build's environment can supply the secret.
        builder.environment().clear();
        builder.environment().putAll(env);
        Path log = logs.resolve(module + "-" + missing + ".log");
        Process process = ChildProcesses.startLogged(builder, log);
        try {
            assertTrue(ChildProcesses.awaitExit(process, PATIENCE), module + " stops without " + missing);
            assertNotEquals(0, process.exitValue());
            String output = Files.readString(log);
            String property = missing.toLowerCase(Locale.ROOT).replace('_', '.');
            assertTrue(output.contains(missing) || output.contains(property), output);
            assertFalse(output.contains("started in"), output);
        } finally {
            ChildProcesses.stop(process);
        }
    }

    /** Every secret the services take, and the settings around them, with values that would let each start. */
    private static Map<String, String> everySecret() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(FreePorts.next()));
        // Nothing listens there: a service that got past its configuration would fail later, and differently.
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + FreePorts.next() + "/tokenhub");
        env.put("QUARKUS_DATASOURCE_USERNAME", "tokenhub");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "a-real-password-from-a-secret");
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + FreePorts.next());
        env.put("TOKENHUB_INTERNAL_SECRET", "an-internal-secret-of-32-characters");
        env.put("TOKENHUB_DASHBOARD_STATE_SECRET", "a-state-secret-of-at-least-32-characters");
        env.put("TOKENHUB_DASHBOARD_SESSION_SECRET", "a-session-secret-of-at-least-32-characters");
        env.put("QUARKUS_OIDC_PUBLIC_KEY", DevTokens.generate().publicKey());
        env.put("QUARKUS_OIDC_TOKEN_ISSUER", DevTokens.ISSUER);
        return env;
    }
}
