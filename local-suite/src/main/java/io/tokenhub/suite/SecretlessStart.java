package io.tokenhub.suite;

import io.tokenhub.infra.ChildProcesses;
import io.tokenhub.infra.DevTokens;
import io.tokenhub.infra.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a service's built jar in the production profile with every secret it takes but one, for the tests that
 * prove no service runs on a default secret. Every other setting is present, so a failure can only come from the
 * secret left out; nothing is inherited from the caller's environment that could supply it.
 */
public final class SecretlessStart {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    /**
     * How the start ended.
     *
     * @param exited whether the process ended within the patience given
     * @param exitCode its exit code, -1 when it did not end
     * @param output what it printed
     */
    public record Outcome(boolean exited, int exitCode, String output) {}

    private SecretlessStart() {}

    /** Runs {@code module}'s jar without {@code missing}, logging to {@code logDir}, and stops it if it keeps running. */
    public static Outcome without(Path repoRoot, String module, String missing, Path logDir) {
        Map<String, String> env = new HashMap<>(everySecret());
        env.remove(missing);
        Path jar = repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx160m",
                "-XX:+UseSerialGC",
                "-jar",
                jar.toString());
        builder.environment().clear();
        builder.environment().putAll(env);
        Path log = logDir.resolve(module + "-" + missing + ".log");
        Process process = ChildProcesses.startLogged(builder, log);
        try {
            boolean exited = ChildProcesses.awaitExit(process, PATIENCE);
            return new Outcome(exited, exited ? process.exitValue() : -1, Files.readString(log));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + module + " started", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
