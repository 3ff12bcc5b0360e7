package io.tokenhub.infra;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver in this JVM, standing in for an OpenTelemetry Collector: accepts {@code POST
 * /v1/traces} with a protobuf {@code ExportTraceServiceRequest} (gzip or not), keeps every request body exactly as it
 * arrived and every span parsed from it. Tests point a service's {@code quarkus.otel.exporter.otlp.traces.endpoint}
 * here, then ask which spans were exported and search the raw bytes for what must never be in them.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** The path OTLP/HTTP exporters post traces to. */
    public static final String TRACES_PATH = "/v1/traces";

    /** One exported span with the name of the service that exported it. */
    public record ExportedSpan(String service, Span span) {

        public String traceId() {
            return HexFormat.of().formatHex(span.getTraceId().toByteArray());
        }

        public String spanId() {
            return HexFormat.of().formatHex(span.getSpanId().toByteArray());
        }

        public String parentSpanId() {
            return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
        }

        public String name() {
            return span.getName();
        }

        /** Attribute values by key, each rendered as text (numbers and booleans too). */
        public Map<String, String> attributes() {
            return span.getAttributesList().stream()
                    .collect(Collectors.toMap(KeyValue::getKey, kv -> text(kv.getValue()), (a, b) -> b));
        }

        public String attribute(String key) {
            return attributes().get(key);
        }
    }

    private final HttpServer server;
    private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
    private final List<ExportedSpan> spans = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    /** Starts a receiver on a free loopback port. */
    public static OtlpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            OtlpReceiver receiver = new OtlpReceiver(server);
            server.createContext("/", receiver::handle);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the OTLP receiver", e);
        }
    }

    /** The base URL to configure as the OTLP endpoint, e.g. {@code http://127.0.0.1:41234}. */
    public String endpoint() {
        return "http://" + server.getAddress().getHostString() + ":"
                + server.getAddress().getPort();
    }

    /** Every span received so far, in arrival order. */
    public List<ExportedSpan> spans() {
        return List.copyOf(spans);
    }

    /** The spans of one trace (lower-case hex trace id). */
    public List<ExportedSpan> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    /**
     * Waits up to {@code timeout} until a received span matches {@code wanted}; exporters batch, so spans arrive
     * some hundred milliseconds after the work they describe. Returns the first match, or fails naming what came.
     */
    public ExportedSpan await(Predicate<ExportedSpan> wanted, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (ExportedSpan span : spans) {
                if (wanted.test(span)) {
                    return span;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no exported span is " + what + "; received: "
                        + spans.stream()
                                .map(s -> s.service() + ":" + s.name() + s.attributes())
                                .toList());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for a span", e);
            }
        }
    }

    /**
     * Whether {@code text} occurs anywhere in what was exported: in any raw request body as UTF-8 bytes (whatever
     * field it sits in, known to this parser or not), or in any span's name, attribute, event or link.
     */
    public boolean contains(String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        for (byte[] body : bodies) {
            if (indexOf(body, needle) >= 0) {
                return true;
            }
        }
        return spans.stream().anyMatch(s -> s.span().toString().contains(text));
    }

    /** How many export requests arrived. */
    public int exports() {
        return bodies.size();
    }

    /** Forgets what was received, so a test sees only its own spans. */
    public void clear() {
        bodies.clear();
        spans.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())
                    || !TRACES_PATH.equals(exchange.getRequestURI().getPath())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = in.readAllBytes();
                }
            }
            ExportTraceServiceRequest request;
            try {
                request = ExportTraceServiceRequest.parseFrom(body);
            } catch (InvalidProtocolBufferException e) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            bodies.add(body);
            List<ExportedSpan> received = new ArrayList<>();
            for (ResourceSpans resource : request.getResourceSpansList()) {
                String service = resource.getResource().getAttributesList().stream()
                        .filter(kv -> kv.getKey().equals("service.name"))
                        .map(kv -> text(kv.getValue()))
                        .findFirst()
                        .orElse("");
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    for (Span span : scope.getSpansList()) {
                        received.add(new ExportedSpan(service, span));
                    }
                }
            }
            spans.addAll(received);
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            default -> value.toString();
        };
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
