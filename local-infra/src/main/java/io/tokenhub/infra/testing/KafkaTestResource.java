package io.tokenhub.infra.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tokenhub.infra.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Real Kafka for {@code *IT} tests: one broker per test JVM, shared by every test class that names this resource,
 * because a broker costs seconds and hundreds of megabytes on a 2-core machine.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private static KafkaBroker broker;

    /** The running broker, starting it on first use. */
    public static synchronized KafkaBroker broker() {
        if (broker == null) {
            try {
                Path dir = Files.createTempDirectory("tokenhub-kafka-it");
                broker = KafkaBroker.start(dir, 0, dir.resolve("kafka.log"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return broker;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", broker().bootstrapServers());
    }

    @Override
    public void stop() {
        // Shared with later test classes of this JVM; its shutdown hook stops it when the JVM ends.
    }
}
