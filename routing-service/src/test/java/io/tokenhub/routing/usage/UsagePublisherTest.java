package io.tokenhub.routing.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.tokenhub.routing.config.RoutingConfig;
import io.tokenhub.routing.tracing.Tracing;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publisher with no Kafka at all: answered events wait on disk, none is dropped, new requests are refused once
 * the bound is reached, and a stop followed by a start on the same directory still has every one of them to send.
 */
class UsagePublisherTest {

    /** Tracing as shipped: the SDK disabled. */
    private static final Tracing OFF = new Tracing(OpenTelemetry.noop(), true);

    @TempDir
    Path dir;

    @Test
    void withoutKafkaEventsWaitOnDiskAndNewRequestsAreRefusedAtTheBound() throws IOException {
        Map<String, Object> kafka = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:" + closedPort(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                300,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                1_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                500);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        UsagePublisher publisher = new UsagePublisher(kafka, registry, config(dir, 1_000), OFF);
        try {
            assertTrue(publisher.accepting());
            publisher.publish(SampleUsageEvents.answered("req-1"));
            assertTrue(publisher.accepting(), "one ~450-byte event is under the 1,000-byte bound");
            publisher.publish(SampleUsageEvents.answered("req-2"));
            publisher.publish(SampleUsageEvents.answered("req-3"));
            assertFalse(publisher.accepting(), "three events are past it: new requests are refused");
            assertEquals(3, publisher.backlog().events());
            assertEquals(
                    1.0, registry.counter("tokenhub_usage_spool_shed_total").count());
            assertEquals(
                    3.0,
                    registry.get("tokenhub_usage_spool_pending_events").gauge().value());
            assertEquals(
                    0.0,
                    registry.counter("tokenhub_usage_publish_failures_total").count());
        } finally {
            publisher.close();
        }
        UsagePublisher restarted = new UsagePublisher(kafka, new SimpleMeterRegistry(), config(dir, 1_000), OFF);
        try {
            assertEquals(3, restarted.backlog().events(), "a restart still has every unsent event");
        } finally {
            restarted.close();
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Only the spool's keys are read by the publisher; the rest of the configuration does not matter here. */
    private static RoutingConfig config(Path dir, long maxBytes) {
        RoutingConfig.Spool spool = new RoutingConfig.Spool() {
            @Override
            public String dir() {
                return dir.toString();
            }

            @Override
            public long maxBytes() {
                return maxBytes;
            }

            @Override
            public long segmentBytes() {
                return 1 << 20;
            }

            @Override
            public RoutingConfig.SpoolFsync fsync() {
                return RoutingConfig.SpoolFsync.PERIODIC;
            }

            @Override
            public Duration fsyncInterval() {
                return Duration.ofMillis(10);
            }

            @Override
            public Duration drainTimeout() {
                return Duration.ofMillis(500);
            }
        };
        return new RoutingConfig() {
            @Override
            public Map<String, ProviderConfig> providers() {
                return Map.of();
            }

            @Override
            public Internal internal() {
                return null;
            }

            @Override
            public CatalogSource catalog() {
                return Optional::empty;
            }

            @Override
            public Limits limits() {
                return null;
            }

            @Override
            public Fallback fallback() {
                return null;
            }

            @Override
            public Billing billing() {
                return null;
            }

            @Override
            public Usage usage() {
                return () -> spool;
            }
        };
    }
}
