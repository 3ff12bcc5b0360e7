package io.tokenhub.routing.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tokenhub.common.events.EventJson;
import io.tokenhub.common.events.ProviderOutcome;
import io.tokenhub.common.events.UsageEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Publishes usage events and provider outcomes to Kafka without ever holding up a response: the producer batches
 * in the background. A publish that fails is counted in {@code tokenhub_usage_publish_failures_total} and logged with
 * the request id, so an operator can see lost billing data rather than discover it at invoice time.
 */
@ApplicationScoped
public class UsagePublisher {

    private final Emitter<String> usage;
    private final Emitter<String> outcomes;
    private final Counter usageFailures;
    private final Counter outcomeFailures;

    public UsagePublisher(@Channel("usage") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
            Emitter<String> usage,
            @Channel("provider-outcomes") @OnOverflow(value = OnOverflow.Strategy.DROP) Emitter<String> outcomes,
            MeterRegistry registry) {
        this.usage = usage;
        this.outcomes = outcomes;
        this.usageFailures = registry.counter("tokenhub_usage_publish_failures_total");
        this.outcomeFailures = registry.counter("tokenhub_outcome_publish_failures_total");
    }

    public void publish(UsageEvent event) {
        send(usage, event.accountId(), event, usageFailures, event.requestId());
    }

    public void publish(ProviderOutcome outcome) {
        send(outcomes, outcome.provider(), outcome, outcomeFailures, null);
    }

    private static void send(Emitter<String> emitter, String key, Object event, Counter failures, String requestId) {
        String json;
        try {
            json = EventJson.MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            failures.increment();
            Log.errorf("cannot serialise %s for request %s", event.getClass().getSimpleName(), requestId);
            return;
        }
        Message<String> message = Message.of(json)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build())
                .withAck(() -> CompletableFuture.completedFuture(null))
                .withNack(cause -> {
                    failures.increment();
                    Log.errorf("Kafka publish of %s failed for request %s: %s", event.getClass().getSimpleName(),
                            requestId, cause.getClass().getSimpleName());
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            failures.increment();
            Log.errorf("Kafka publish of %s refused for request %s: %s", event.getClass().getSimpleName(), requestId,
                    e.getClass().getSimpleName());
        }
    }
}
