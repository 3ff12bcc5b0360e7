package io.tokenhub.routing.it;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.http.Headers;
import io.restassured.specification.RequestSpecification;
import io.tokenhub.common.events.EventJson;
import io.tokenhub.common.events.Topics;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.http.InternalSignature;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.simulator.Behaviour;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** What routing-service's ITs share: the internal hop as gateway-service makes it, and the usage events on Kafka. */
public final class RoutingIt {

    /** The internal secret of the test profile (application.properties). */
    public static final String SECRET = "test-internal-secret-0123456789";

    /** The further secret the test profile accepts, as during a rotation. */
    public static final String ACCEPTED_SECRET = "test-rotation-secret-9876543210";

    private static final HttpClient SIMULATOR_CONTROL = HttpClient.newHttpClient();

    private RoutingIt() {}

    /** A streamed answer of some 30 s, a frame every 200 ms: longer than a test waits for anything but a cancel. */
    public static Behaviour longStream() {
        return Behaviour.builder()
                .chunkDelayMs(200)
                .reply("word ".repeat(150).strip())
                .build();
    }

    /**
     * Changes how {@code provider}'s simulator behaves ({@code PUT} with the behaviour's JSON) or restores it ({@code
     * DELETE}, no body).
     */
    public static void simulator(String provider, String method, String json) throws Exception {
        String base = ConfigProvider.getConfig().getValue("test.simulator." + provider + ".url", String.class);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/__sim/behaviour"))
                .header("content-type", "application/json")
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        int status = SIMULATOR_CONTROL
                .send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
        if (status >= 300) {
            throw new AssertionError(provider + " simulator control answered " + status);
        }
    }

    /** A request as gateway-service sends it: signed, account acct-1, key key-1, the given request id. */
    public static RequestSpecification internal(String requestId) {
        return internal(requestId, "acct-1", "key-1");
    }

    /** A request as gateway-service sends it for {@code account} and {@code keyId}, signed with {@link #SECRET}. */
    public static RequestSpecification internal(String requestId, String account, String keyId) {
        return given().filter(signedWith(SECRET, 0))
                .header(TokenHubHeaders.ACCOUNT_ID, account)
                .header(TokenHubHeaders.KEY_ID, keyId)
                .header(TokenHubHeaders.REQUEST_ID, requestId)
                .contentType("application/json");
    }

    /**
     * Signs each request as gateway-service does, once its method, path and id headers are final, with a timestamp
     * {@code ageSeconds} in the past.
     */
    public static Filter signedWith(String secret, long ageSeconds) {
        return (request, response, context) -> {
            URI uri = URI.create(request.getURI());
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            Headers headers = request.getHeaders();
            signatureHeaders(
                            secret,
                            ageSeconds,
                            request.getMethod(),
                            target,
                            Objects.toString(headers.getValue(TokenHubHeaders.ACCOUNT_ID), ""),
                            Objects.toString(headers.getValue(TokenHubHeaders.KEY_ID), ""),
                            Objects.toString(headers.getValue(TokenHubHeaders.REQUEST_ID), ""))
                    .forEach(request::header);
            return context.next(request, response);
        };
    }

    /**
     * A JSON POST to {@code uri} of the app under test as gateway-service sends it, for a Vert.x client: signed, account
     * acct-1, key key-1, the given request id. For what RestAssured cannot do: read trailers, hold requests open at once.
     */
    public static RequestOptions internalPost(String uri, String requestId) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("localhost")
                .setPort(RestAssured.port)
                .setURI(uri)
                .putHeader("content-type", "application/json")
                .putHeader(TokenHubHeaders.ACCOUNT_ID, "acct-1")
                .putHeader(TokenHubHeaders.KEY_ID, "key-1")
                .putHeader(TokenHubHeaders.REQUEST_ID, requestId);
        signatureHeaders(SECRET, 0, "POST", uri, "acct-1", "key-1", requestId).forEach(options::putHeader);
        return options;
    }

    /** The timestamp and signature headers gateway-service would send for this call, made {@code ageSeconds} ago. */
    public static Map<String, String> signatureHeaders(
            String secret, long ageSeconds, String method, String uri, String account, String keyId, String requestId) {
        long at = System.currentTimeMillis() / 1000 - ageSeconds;
        return Map.of(
                TokenHubHeaders.INTERNAL_TIMESTAMP,
                Long.toString(at),
                TokenHubHeaders.INTERNAL_SIGNATURE,
                new InternalSignature(secret).sign(method, uri, account, keyId, requestId, at));
    }

    /** The SSE frames of a response body, blank-line separated, each still starting with {@code data: }. */
    public static List<String> frames(String sse) {
        return List.of(sse.strip().split("\n\n"));
    }

    /**
     * The one usage event of {@code requestId}, waiting up to 30 s for it to reach {@code tokenhub.usage}. The topic is
     * read to its end once the first event is there, so a second event for the same request (a duplicate, or one for
     * a failed fallback attempt) fails the test instead of passing as "billed once".
     */
    public static ConsumerRecord<String, String> usageRecord(String requestId) {
        Properties props = new Properties();
        props.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaTestResource.broker().bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> matches = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            Instant deadline = Instant.now().plusSeconds(30);
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && Instant.now().isBefore(deadline)) {
                partitions = consumer.partitionsFor(Topics.USAGE, Duration.ofSeconds(5)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = null;
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value().contains("\"" + requestId + "\"")) {
                        matches.add(record);
                    }
                }
                if (!matches.isEmpty() && end == null) {
                    // Every event of a request is published by the time its response ends; this leaves a duplicate
                    // sent a moment later room to arrive before the end is fixed.
                    pause(Duration.ofMillis(500));
                    end = consumer.endOffsets(partitions);
                }
                if (end != null && atEnd(consumer, end)) {
                    break;
                }
            }
        }
        if (matches.isEmpty()) {
            throw new AssertionError("no usage event for " + requestId);
        }
        if (matches.size() != 1) {
            throw new AssertionError(matches.size() + " usage events for " + requestId + ", expected exactly one");
        }
        return matches.get(0);
    }

    private static boolean atEnd(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for usage events", e);
        }
    }

    public static UsageEvent usageEvent(String requestId) {
        return read(usageRecord(requestId));
    }

    public static UsageEvent read(ConsumerRecord<String, String> record) {
        try {
            return EventJson.MAPPER.readValue(record.value(), UsageEvent.class);
        } catch (Exception e) {
            throw new AssertionError("unreadable usage event", e);
        }
    }
}
