package io.tokenhub.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one process), started from the
 * {@code kafka_2.13} jars on Maven Central in a JVM of its own, so its dependencies never meet the services'.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";

    private final Path config;
    private final String classpath;
    private final String bootstrapServers;
    private final Path logFile;
    private volatile Process process;

    private KafkaBroker(Path config, String classpath, String bootstrapServers, Path logFile) {
        this.config = config;
        this.classpath = classpath;
        this.bootstrapServers = bootstrapServers;
        this.logFile = logFile;
    }

    /**
     * Starts a broker keeping its data in {@code dir} (formatted on first use, reused after) and waits until it
     * answers. {@code port} 0 picks a free one.
     */
    public static KafkaBroker start(Path dir, int port, Path logFile) {
        try {
            Files.createDirectories(dir);
            int brokerPort = port == 0 ? FreePorts.next() : port;
            int controllerPort = FreePorts.next();
            Path config = dir.resolve("server.properties");
            Files.writeString(config, serverProperties(dir.resolve("data"), brokerPort, controllerPort));
            String classpath = classpath();
            if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
                run(
                        List.of(
                                java(),
                                "-Xmx256m",
                                "-cp",
                                classpath,
                                "kafka.tools.StorageTool",
                                "format",
                                "-t",
                                Uuid.randomUuid().toString(),
                                "-c",
                                config.toString(),
                                "--ignore-formatted"),
                        logFile);
            }
            KafkaBroker broker = new KafkaBroker(config, classpath, "127.0.0.1:" + brokerPort, logFile);
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-stop"));
            broker.launch();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Kafka", e);
        }
    }

    /** Stops the broker as an operator would (SIGTERM, SIGKILL after 20 s); its data and ports stay for a restart. */
    public void stop() {
        ChildProcesses.stop(process);
    }

    /**
     * Starts the stopped broker again on the same ports with the same data, as after an outage, and waits until it
     * answers: clients configured with {@link #bootstrapServers()} find it where it was.
     */
    public void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("Kafka is still running");
        }
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart Kafka", e);
        }
    }

    private void launch() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(
                        java(),
                        "-Xms128m",
                        "-Xmx512m",
                        "-XX:+UseSerialGC",
                        "-Djava.awt.headless=true",
                        "-cp",
                        classpath,
                        "kafka.Kafka",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        process = pb.start();
        awaitReady(Duration.ofSeconds(90));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public long pid() {
        return process.pid();
    }

    /** Creates the topics that are missing; existing ones are left as they are. */
    public void createTopics(List<NewTopic> topics) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing =
                    topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics", e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics", e);
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                20_000));
    }

    @Override
    public void close() {
        if (process != null) {
            ChildProcesses.stop(process);
        }
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka exited with " + process.exitValue() + "; see " + logFile);
            }
            try (Admin admin = admin()) {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            sleep(250);
        }
        close();
        throw new IllegalStateException("Kafka did not become ready within " + timeout + "; see " + logFile, last);
    }

    private static String serverProperties(Path data, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", data.toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "true");
        p.setProperty("log.cleaner.backoff.ms", "1000");
        StringBuilder sb = new StringBuilder();
        p.stringPropertyNames().stream()
                .sorted()
                .forEach(k -> sb.append(k).append('=').append(p.getProperty(k)).append('\n'));
        return sb.toString();
    }

    private static String classpath() throws IOException {
        try (InputStream in = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "missing " + CLASSPATH_RESOURCE + ": build local-infra with Maven first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    private static void run(List<String> command, Path logFile) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        "'" + command.stream().skip(4).collect(Collectors.joining(" ")) + "' failed; see " + logFile);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted formatting Kafka storage", e);
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
