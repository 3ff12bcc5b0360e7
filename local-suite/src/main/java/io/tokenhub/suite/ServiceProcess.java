package io.tokenhub.suite;

import io.tokenhub.infra.ChildProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One TokenHub service running from its Quarkus fast-jar in a JVM of its own, logging to a file. */
final class ServiceProcess implements AutoCloseable {

    /** Keeps each service under 300 MB resident on a 2-core machine, idle and with 5,000 streams in flight. */
    static final List<String> JVM_OPTIONS = List.of(
            "-Xms64m",
            "-XX:+UseSerialGC",
            "-XX:MaxMetaspaceSize=128m",
            "-XX:ReservedCodeCacheSize=64m",
            "-Xss512k",
            "-XX:+ExitOnOutOfMemoryError",
            "-Djava.net.preferIPv4Stack=true");

    /**
     * The heap ceiling per service. The two on the request path hold every in-flight stream: at 160 MB their heap
     * filled up during a 5,000-stream burst and took them past 300 MB resident; at 128 MB they peaked at 272 to 300 MB
     * over three runs, at 112 MB at 277 to 292 MB, with burst latencies within the runs' noise (bench/README.md,
     * session 12).
     */
    private static final Map<String, String> MAX_HEAP =
            Map.of("gateway-service", "-Xmx112m", "routing-service", "-Xmx112m");

    private static final String DEFAULT_MAX_HEAP = "-Xmx160m";

    /**
     * glibc's malloc arenas per service, unless the environment sets {@code MALLOC_ARENA_MAX}: by default glibc keeps
     * up to eight per core, each holding on to memory the JVM's threads freed, which Native Memory Tracking does not
     * see (some 30 MB of the gateway's 5,000-stream peak). Two took that peak 3 to 10 MB lower in the gateway and 2
     * to 7 MB in routing over two pairs of sweeps (bench/README.md, session 15).
     */
    private static final String MALLOC_ARENAS = "2";

    private static final int LOG_TAIL_LINES = 40;

    private final String name;
    private final int port;
    private final int managementPort;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, int port, int managementPort, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code module} with its API on {@code port} and health, metrics and OpenAPI on {@code managementPort}
     * (Quarkus' management interface).
     */
    static ServiceProcess start(
            Path repoRoot, String module, int port, int managementPort, Map<String, String> env, Path logDir) {
        Path jar = repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (mvn -B -DskipTests package)");
        }
        Path log = logDir.resolve(module + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(MAX_HEAP.getOrDefault(module, DEFAULT_MAX_HEAP));
        command.addAll(JVM_OPTIONS);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", MALLOC_ARENAS);
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        return new ServiceProcess(module, port, managementPort, ChildProcesses.startLogged(pb, log), log);
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    int managementPort() {
        return managementPort;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The management interface: {@code /q/health/*}, {@code /q/metrics}, {@code /q/openapi}. */
    String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** Waits until {@code /q/health/ready} on the management interface answers 200. */
    void awaitReady(Duration timeout) {
        switch (ChildProcesses.awaitOk(
                process, URI.create(managementUrl() + "/q/health/ready"), timeout, Duration.ofMillis(300))) {
            case READY -> {}
            case EXITED ->
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log
                        + ", which ends with:\n" + logTail());
            case TIMED_OUT ->
                throw new IllegalStateException(
                        name + " not ready within " + timeout + "; see " + log + ", which ends with:\n" + logTail());
        }
    }

    /** The end of the service's log, so a failed start explains itself in a CI log that outlives the temp folder. */
    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Resident memory from /proc, in kilobytes; -1 where /proc is not there. */
    long residentKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
    }

    /** Kills the service at once, as a crash would. */
    void kill() {
        try {
            ChildProcesses.kill(process);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
