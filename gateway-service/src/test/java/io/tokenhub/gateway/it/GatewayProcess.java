package io.tokenhub.gateway.it;

import io.tokenhub.infra.ChildProcesses;
import io.tokenhub.infra.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Another gateway-service replica: the fast-jar this build just packaged, in a JVM of its own with the production
 * profile, configured through system properties. Tests run it beside the {@code @QuarkusTest} instance to prove what
 * replicas share (the key store, the rate-limit store) and what they must agree on.
 */
public final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;

    private GatewayProcess(Process process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    public static GatewayProcess start(Map<String, String> properties) {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the package phase builds it before the ITs run");
        }
        int port = FreePorts.next();
        // A free management port too: the production default (9080) may be held by a local run or another replica.
        int managementPort = FreePorts.next();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx160m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.management.port=" + managementPort,
                "-Dquarkus.management.host=127.0.0.1"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        try {
            Path log = Files.createTempFile("gateway-replica", ".log");
            Process process = ChildProcesses.startLogged(new ProcessBuilder(command), log);
            GatewayProcess replica = new GatewayProcess(process, port, managementPort, log);
            replica.awaitReady(Duration.ofSeconds(90));
            return replica;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Where health and metrics are: the management interface. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        switch (ChildProcesses.awaitOk(
                process, URI.create(managementUrl() + "/q/health/ready"), timeout, Duration.ofMillis(250))) {
            case READY -> {}
            case EXITED -> throw new IllegalStateException("the replica exited:\n" + log());
            case TIMED_OUT -> {
                close();
                throw new IllegalStateException("the replica was not ready within " + timeout + ":\n" + log());
            }
        }
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
    }
}
