package io.tokenhub.routing.it;

import static io.tokenhub.routing.it.RoutingIt.internal;
import static io.tokenhub.routing.it.RoutingIt.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.infra.OtlpReceiver;
import io.tokenhub.infra.OtlpReceiver.ExportedSpan;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.infra.testing.OtlpTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Traces as an operator turns them on (OtlpTestResource: the SDK enabled, an OTLP/HTTP endpoint) against an
 * in-process receiver: one trace from the gateway's {@code traceparent} through routing's server span, a client span
 * per provider attempt and the usage event's publish, whose Kafka headers carry the trace on to billing; and nothing
 * of the request's content in anything exported.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SimulatorTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OtlpTestResource.class, restrictToAnnotatedClass = false)
class TracingIT {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @AfterEach
    void normal() throws Exception {
        simulator("openai", "DELETE", null);
    }

    @Test
    void oneTraceFromTheCallerThroughEveryProviderAttemptToTheUsageEventWithoutContent() throws Exception {
        OtlpReceiver receiver = OtlpTestResource.receiver();
        String marker = "trace-privacy-marker-" + UUID.randomUUID();
        String traceId = hex(16);
        String callerSpan = hex(8);
        // The first choice fails, so the trace holds two provider attempts and the fallback between them.
        simulator("openai", "PUT", "{\"error_status\":503}");
        String requestId = "trace-" + UUID.randomUUID();
        internal(requestId)
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .body("{\"model\":\"gpt-4o\",\"user\":\"" + marker
                        + "\",\"messages\":[{\"role\":\"system\",\"content\":\""
                        + marker + " system\"},{\"role\":\"user\",\"content\":\"" + marker + " say hello\"}],"
                        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"description\":\""
                        + marker + "\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}}]}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .header(TokenHubHeaders.PROVIDER, "anthropic")
                .header(TokenHubHeaders.FALLBACK, "true");

        ExportedSpan server = receiver.await(
                s -> s.traceId().equals(traceId) && s.span().getKind() == SpanKind.SPAN_KIND_SERVER,
                PATIENCE,
                "routing's server span of trace " + traceId);
        assertEquals("routing-service", server.service());
        assertEquals(callerSpan, server.parentSpanId(), "routing continues the gateway's span, not a trace of its own");

        ExportedSpan failed = receiver.await(
                s -> s.traceId().equals(traceId) && s.name().equals("provider openai"), PATIENCE, "the call to openai");
        assertEquals(SpanKind.SPAN_KIND_CLIENT, failed.span().getKind());
        assertEquals(server.spanId(), failed.parentSpanId(), "a provider call is a child of the request");
        assertEquals("openai", failed.attribute("gen_ai.provider.name"));
        assertEquals("gpt-4o", failed.attribute("gen_ai.request.model"));
        assertEquals("gpt-4o", failed.attribute("tokenhub.requested_model"));
        assertEquals("1", failed.attribute("tokenhub.attempt"));
        assertEquals("false", failed.attribute("tokenhub.fallback"));
        assertEquals("503", failed.attribute("http.response.status_code"));
        assertEquals("server_error", failed.attribute("error.type"));

        ExportedSpan answered = receiver.await(
                s -> s.traceId().equals(traceId) && s.name().equals("provider anthropic"),
                PATIENCE,
                "the call to anthropic");
        assertEquals(server.spanId(), answered.parentSpanId());
        assertEquals("anthropic", answered.attribute("gen_ai.provider.name"));
        assertEquals("claude-sonnet-4-5", answered.attribute("gen_ai.request.model"));
        assertEquals("2", answered.attribute("tokenhub.attempt"));
        assertEquals("true", answered.attribute("tokenhub.fallback"));
        assertEquals("200", answered.attribute("http.response.status_code"));

        ExportedSpan publish = receiver.await(
                s -> s.traceId().equals(traceId) && s.span().getKind() == SpanKind.SPAN_KIND_PRODUCER,
                PATIENCE,
                "the usage event's publish");
        assertEquals("tokenhub.usage publish", publish.name());
        assertEquals("tokenhub.usage", publish.attribute("messaging.destination.name"));
        assertEquals(server.spanId(), publish.parentSpanId());

        ConsumerRecord<String, String> record = RoutingIt.usageRecord(requestId);
        Header traceparent = record.headers().lastHeader("traceparent");
        assertNotNull(traceparent, "the usage event carries the trace to billing");
        assertEquals(
                "00-" + traceId + "-" + publish.spanId() + "-01",
                new String(traceparent.value(), StandardCharsets.UTF_8),
                "billing's consumer span becomes a child of the publish");

        List<ExportedSpan> trace = receiver.trace(traceId);
        assertTrue(trace.size() >= 4, "server, two provider calls and the publish: " + trace);
        assertFalse(receiver.contains(marker), "no request content in any exported span, attribute or event");
        for (String provider : List.of("openai", "anthropic")) {
            assertFalse(receiver.contains("sim-" + provider + "-key"), "no provider key in any exported span");
        }
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1; // never all zeros, which W3C trace context rejects
        return HexFormat.of().formatHex(random);
    }
}
