package io.tokenhub.gateway.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.infra.ChildProcesses;
import io.tokenhub.infra.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * A real Keycloak 26.4.7 (the distribution from Maven Central, unpacked by the build into target/keycloak) in
 * development mode with an in-memory database, importing the {@code tokenhub} realm from
 * {@code src/test/resources/keycloak}: a public client {@code tokenhub-dashboard} with password grants, mappers for
 * the {@code tokenhub_account} and {@code groups} claims and the {@code tokenhub-api} audience, a client
 * {@code other-app} with the same claims but not that audience, a member {@code alice} of account {@code kc-acme} and an
 * admin {@code olga}.
 */
final class KeycloakServer implements AutoCloseable {

    static final String REALM = "tokenhub";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final Path log;

    private KeycloakServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static KeycloakServer start() {
        Path home = Path.of("target/keycloak/keycloak-26.4.7").toAbsolutePath();
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException(home + " is missing: the pre-integration-test phase unpacks it");
        }
        try (InputStream realm = KeycloakServer.class.getResourceAsStream("/keycloak/tokenhub-realm.json")) {
            Files.createDirectories(home.resolve("data/import"));
            Files.copy(realm, home.resolve("data/import/tokenhub-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            int port = FreePorts.next();
            Path log = home.resolve("keycloak-it.log");
            ProcessBuilder pb = new ProcessBuilder(
                    home.resolve("bin/kc.sh").toString(),
                    "start-dev",
                    "--http-host=127.0.0.1",
                    "--http-port=" + port,
                    "--http-management-port=" + FreePorts.next(),
                    "--db=dev-mem",
                    "--import-realm");
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().put("JAVA_OPTS_APPEND", "-Xmx384m");
            // One run's log per file, as before: startLogged appends.
            Files.deleteIfExists(log);
            KeycloakServer server = new KeycloakServer(ChildProcesses.startLogged(pb, log), port, log);
            server.awaitRealm(Duration.ofMinutes(5));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The issuer, which is also what {@code quarkus.oidc.auth-server-url} is set to. */
    String issuer() {
        return "http://127.0.0.1:" + port + "/realms/" + REALM;
    }

    /** An access token for a realm user, by the password grant of the dashboard client. */
    String token(String username, String password) {
        return token(username, password, "tokenhub-dashboard");
    }

    /** An access token of {@code client}, another application of the realm when it is not the dashboard. */
    String token(String username, String password, String client) {
        String form = "grant_type=password&client_id=" + URLEncoder.encode(client, StandardCharsets.UTF_8)
                + "&username="
                + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(issuer() + "/protocol/openid-connect/token"))
                                    .header("content-type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString(form))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused a token: " + response.body());
            }
            return JSON.readTree(response.body()).path("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitRealm(Duration timeout) {
        switch (ChildProcesses.awaitOk(
                process, URI.create(issuer() + "/.well-known/openid-configuration"), timeout, Duration.ofMillis(500))) {
            case READY -> {}
            case EXITED -> throw new IllegalStateException("Keycloak exited; see " + log);
            case TIMED_OUT -> {
                close();
                throw new IllegalStateException("Keycloak not ready within " + timeout + "; see " + log);
            }
        }
    }

    /** kc.sh starts the server as a child of its own: stop that one too. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        ChildProcesses.stop(process);
    }
}
