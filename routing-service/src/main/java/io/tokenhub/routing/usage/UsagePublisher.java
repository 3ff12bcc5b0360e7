package io.tokenhub.routing.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import io.tokenhub.common.events.EventJson;
import io.tokenhub.common.events.ProviderOutcome;
import io.tokenhub.common.events.Topics;
import io.tokenhub.common.events.UsageEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes usage events and provider outcomes to Kafka without ever holding up a response. The request's event loop
 * only hands the event to one sender thread; serialising and {@code KafkaProducer.send} (which blocks while the broker
 * is unknown or the buffer is full) happen there, and the producer batches in the background. A plain producer rather
 * than a messaging channel: two events per request went through the channel's stream operators and context
 * propagation, a fifth of routing-service's CPU in a profile at 200 requests/s. A publish that fails or is refused
 * because the backlog is full is counted in {@code tokenhub_usage_publish_failures_total} (or the outcome twin) and
 * logged with the request id, so an operator sees lost billing data rather than discovers it at invoice time.
 */
@Singleton
public class UsagePublisher {

    /** Events waiting for the sender thread; past this the broker has been unreachable for a while. */
    private static final int BACKLOG = 16_384;

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaProducer<String, String> producer;
    private final ThreadPoolExecutor sender;
    private final Counter usageFailures;
    private final Counter outcomeFailures;

    public UsagePublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka, MeterRegistry registry) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Events are a few hundred bytes and nobody waits for them: fill batches for 20 ms, and leave them
        // uncompressed, since lz4 allocated a 64 KB buffer per batch, most of routing-service's garbage at 200 req/s.
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "tokenhub-routing-usage");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(BACKLOG), r -> {
            Thread thread = new Thread(r, "tokenhub-usage-sender");
            thread.setDaemon(true);
            return thread;
        });
        this.usageFailures = registry.counter("tokenhub_usage_publish_failures_total");
        this.outcomeFailures = registry.counter("tokenhub_outcome_publish_failures_total");
    }

    public void publish(UsageEvent event) {
        send(Topics.USAGE, event.accountId(), event, usageFailures, event.requestId());
    }

    public void publish(ProviderOutcome outcome) {
        send(Topics.PROVIDER_OUTCOMES, outcome.provider(), outcome, outcomeFailures, null);
    }

    private void send(String topic, String key, Object event, Counter failures, String requestId) {
        try {
            sender.execute(() -> produce(topic, key, event, failures, requestId));
        } catch (RejectedExecutionException e) {
            failed(event, failures, requestId, "backlog full");
        }
    }

    private void produce(String topic, String key, Object event, Counter failures, String requestId) {
        String json;
        try {
            json = EventJson.MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            failed(event, failures, requestId, "not serialisable");
            return;
        }
        try {
            producer.send(new ProducerRecord<>(topic, key, json), (metadata, error) -> {
                if (error != null) {
                    failed(event, failures, requestId, error.getClass().getSimpleName());
                }
            });
        } catch (RuntimeException e) {
            failed(event, failures, requestId, e.getClass().getSimpleName());
        }
    }

    private static void failed(Object event, Counter failures, String requestId, String why) {
        failures.increment();
        Log.errorf(
                "Kafka publish of %s failed for request %s: %s",
                event.getClass().getSimpleName(), requestId, why);
    }

    /** Sends what is still queued before the process exits: these are bills. */
    @PreDestroy
    void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                Log.errorf(
                        "%d usage events still queued at shutdown",
                        sender.getQueue().size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(CLOSE_TIMEOUT);
    }
}
