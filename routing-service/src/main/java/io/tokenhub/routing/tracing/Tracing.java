package io.tokenhub.routing.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.tokenhub.common.catalog.CatalogModel;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * routing-service's own spans, for the two hops Quarkus cannot see: the provider call (a raw Vert.x client, whose
 * automatic span would carry the provider's URL and send our trace id to a third party) and the usage event's publish
 * (a plain Kafka producer behind the spool). Only metadata goes into them: provider, model names, attempt, status,
 * failure kind; never a prompt, completion, message, tool call, header or key.
 *
 * <p>With the SDK disabled (the default) every method returns at once on one boolean, so a request pays nothing.
 */
@Singleton
public class Tracing {

    /** The provider called, as in {@code X-TokenHub-Provider}. */
    public static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    /** The provider's own model id that was called. */
    public static final AttributeKey<String> PROVIDER_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    /** The model name the client asked for, plain or prefixed. */
    public static final AttributeKey<String> REQUESTED_MODEL = AttributeKey.stringKey("tokenhub.requested_model");
    /** 1 for the first provider called for a request, 2 for the first backup after a failure, and so on. */
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("tokenhub.attempt");
    /** Whether the model called is a backup rather than the request's first choice. */
    public static final AttributeKey<Boolean> FALLBACK = AttributeKey.booleanKey("tokenhub.fallback");
    /** The provider's HTTP status. */
    public static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    /** Why a call failed: the failure kind health-monitor also gets (server_error, rate_limited, timeout...). */
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private static final TextMapSetter<Headers> KAFKA_HEADERS =
            (headers, key, value) -> headers.remove(key).add(key, value.getBytes(StandardCharsets.UTF_8));

    private final boolean enabled;
    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public Tracing(OpenTelemetry openTelemetry, @ConfigProperty(name = "quarkus.otel.sdk.disabled") boolean disabled) {
        this.enabled = !disabled;
        this.tracer = openTelemetry.getTracer("io.tokenhub.routing");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** The context to continue later (on another thread), or null when tracing is off or nothing is being traced. */
    public Context capture() {
        if (!enabled) {
            return null;
        }
        Context context = Context.current();
        return Span.fromContext(context).getSpanContext().isValid() ? context : null;
    }

    /**
     * Starts the client span of one provider call under the current request's span; {@link Span#getInvalid()} (a
     * no-op) when tracing is off.
     */
    public Span providerCall(CatalogModel model, String requestedModel, int attempt, boolean fallback) {
        if (!enabled) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder("provider " + model.provider().wireName())
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(PROVIDER, model.provider().wireName())
                .setAttribute(PROVIDER_MODEL, model.id())
                .setAttribute(REQUESTED_MODEL, requestedModel)
                .setAttribute(ATTEMPT, (long) attempt)
                .setAttribute(FALLBACK, fallback)
                .startSpan();
    }

    /** Ends a provider call that got a response head. */
    public static void answered(Span span, int status) {
        if (!span.isRecording()) {
            return;
        }
        span.setAttribute(STATUS, (long) status);
        if (status >= 400) {
            span.setAttribute(ERROR_TYPE, Integer.toString(status));
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    /**
     * Ends a provider call that failed before an answer; {@code kind} is a fixed word, never the exception's message
     * (which may quote a provider's error body).
     */
    public static void failed(Span span, String kind, int status) {
        if (!span.isRecording()) {
            return;
        }
        if (status > 0) {
            span.setAttribute(STATUS, (long) status);
        }
        span.setAttribute(ERROR_TYPE, kind);
        span.setStatus(StatusCode.ERROR);
        span.end();
    }

    /**
     * Starts the producer span of one usage event's publish as a child of {@code parent} (captured when the request
     * wrote the event) and writes its {@code traceparent} into {@code headers}, so billing's consumer continues the
     * trace. Returns null when there is nothing to trace.
     */
    public Span publish(Context parent, String topic, Headers headers) {
        if (!enabled || parent == null) {
            return null;
        }
        Span span = tracer.spanBuilder(topic + " publish")
                .setParent(parent)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", topic)
                .setAttribute("messaging.operation.type", "send")
                .startSpan();
        propagator.inject(parent.with(span), headers, KAFKA_HEADERS);
        return span;
    }
}
