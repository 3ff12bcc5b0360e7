package io.tokenhub.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.wire.ProviderWire;
import io.tokenhub.infra.OtlpReceiver;
import io.tokenhub.infra.OtlpReceiver.ExportedSpan;
import io.tokenhub.infra.testing.Mutations;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.SimulatorServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge of the whole suite (real Kafka, PostgreSQL, the four services, simulators for all five providers), tested
 * like an attacker would: thousands of fuzzed requests, a client hanging up mid-stream, and prompts carrying a unique
 * marker through every provider, streamed and not, errors and a fallback included, after which PostgreSQL, every Kafka
 * topic and every service log are searched for the marker. The search runs last, so it also covers the fuzzed
 * requests, which carry the marker too. Meta's simulator sits behind a relay that shows when routing-service hangs up.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeIT {

    /** Unique per run, and nothing a service could produce by itself. */
    private static final String MARKER =
            "TkhPrivacyMarker" + UUID.randomUUID().toString().replace("-", "");

    private static final int FUZZ_REQUESTS = 3_000;
    private static final Duration FUZZ_TIME = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;

    static SimulatorServer meta;
    /** Every service exports its traces here, so the privacy search covers spans too. */
    static OtlpReceiver spans;

    static TappedRelay relay;
    static LocalSuite suite;
    static HttpClient http;
    static final List<String> answeredRequestIds = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        meta = SimulatorServer.start(Map.of("meta", 0));
        relay = new TappedRelay(meta.port("meta"));
        spans = OtlpReceiver.start();
        suite = SuiteTests.start(
                data,
                Map.of(
                        "TOKENHUB_PROVIDERS_META_BASE_URL",
                        "http://127.0.0.1:" + relay.port()
                                + ProviderWire.of(Provider.META).basePath(),
                        "TOKENHUB_PROVIDERS_META_API_KEY",
                        "sim-meta-key",
                        "QUARKUS_OTEL_SDK_DISABLED",
                        "false",
                        "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                        spans.endpoint(),
                        "QUARKUS_OTEL_BSP_SCHEDULE_DELAY",
                        "200ms"));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws IOException {
        if (suite != null) {
            suite.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (meta != null) {
            meta.close();
        }
        if (spans != null) {
            spans.close();
        }
    }

    /** The dashboards' APIs of all four services answer the same bad input with the same kind of error. */
    @Test
    @Order(4)
    void everyApiRefusesBadInputInTheOneErrorShape() throws Exception {
        String token = suite.dashboardToken(suite.demoAccount(), Set.of(), Duration.ofMinutes(10));
        ApiErrorShapes shapes = new ApiErrorShapes(http, token);
        String gateway = suite.gatewayUrl();
        String routing = suite.serviceUrl("routing-service");
        String billing = suite.serviceUrl("billing-service");
        String health = suite.serviceUrl("health-monitor");
        List<ApiErrorShapes.Endpoint> endpoints = List.of(
                new ApiErrorShapes.Endpoint(
                        "POST", gateway + "/api/keys", "{\"name\":\"shapes\"}", "name", "\"k\"", "{\"a\":1}"),
                ApiErrorShapes.Endpoint.read("GET", gateway + "/api/keys"),
                ApiErrorShapes.Endpoint.read("DELETE", gateway + "/api/keys/no-such-key"),
                new ApiErrorShapes.Endpoint(
                        "PUT", routing + "/api/routing", "{\"fallback\":true}", "fallback", "true", "\"yes\""),
                ApiErrorShapes.Endpoint.read("GET", routing + "/api/routing"),
                ApiErrorShapes.Endpoint.read("GET", billing + "/api/billing/usage"),
                ApiErrorShapes.Endpoint.read("GET", billing + "/api/billing/requests"),
                ApiErrorShapes.Endpoint.read("GET", billing + "/api/billing/prices"),
                ApiErrorShapes.Endpoint.read("GET", health + "/api/providers/status"));
        for (ApiErrorShapes.Endpoint endpoint : endpoints) {
            shapes.check(endpoint);
        }
        shapes.checkUnknownPathAndMethod(gateway, "/api/keys", "PUT");
        shapes.checkUnknownPathAndMethod(routing, "/api/routing", "POST");
        shapes.checkUnknownPathAndMethod(billing, "/api/billing/usage", "POST");
        shapes.checkUnknownPathAndMethod(health, "/api/providers/status", "POST");
    }

    @Test
    @Order(1)
    void fuzzedRequestsGetReadableAnswersOrOpenAiErrorsNeverA5xx() throws Exception {
        List<byte[]> seeds = List.of(
                chatBody("gpt-4o-mini", false, "Summarise " + MARKER).getBytes(StandardCharsets.UTF_8),
                chatBody("gpt-4o", true, "Stream about " + MARKER).getBytes(StandardCharsets.UTF_8),
                ("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + MARKER + "\"}],"
                                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"parameters\":"
                                + "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}}}}],\"max_tokens\":16}")
                        .getBytes(StandardCharsets.UTF_8),
                ("{\"model\":\"text-embedding-3-small\",\"input\":[\"" + MARKER + "\",\"second\"]}")
                        .getBytes(StandardCharsets.UTF_8));
        List<String> contentTypes = List.of(
                "text/plain",
                "application/json; charset=iso-8859-1",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "application/jsonx");
        List<String> requestIds = List.of("ok-trace.1", "has space", "x".repeat(300), "semi;colon", "<script>");
        Random random = new Random(6_2026L);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> serverErrors = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        Instant deadline = Instant.now().plus(FUZZ_TIME);
        int sent = 0;
        while (sent < FUZZ_REQUESTS && Instant.now().isBefore(deadline)) {
            int seed = random.nextInt(seeds.size());
            byte[] body = Mutations.mutate(seeds.get(seed), random);
            String path = seed == 3 ? "/v1/embeddings" : "/v1/chat/completions";
            if (random.nextInt(20) == 0) {
                path = random.nextBoolean() ? "/v1/embeddings" : "/v1/chat/completions";
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + path))
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            int roll = random.nextInt(100);
            request.header(
                    "content-type",
                    roll < 5 ? contentTypes.get(random.nextInt(contentTypes.size())) : "application/json");
            int auth = random.nextInt(100);
            if (auth >= 3) {
                String key = suite.demoKey();
                request.header(
                        "Authorization", "Bearer " + (auth < 5 ? key.substring(0, key.length() - 1) + "Q" : key));
            }
            if (random.nextInt(10) == 0) {
                request.header("X-Inferoute-Request-Id", requestIds.get(random.nextInt(requestIds.size())));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            sent++;
            statuses.merge(response.statusCode(), 1, Integer::sum);
            if (response.statusCode() >= 500) {
                serverErrors.add(response.statusCode() + " for " + path + " "
                        + new String(body, StandardCharsets.UTF_8).replace(MARKER, "<marker>") + " -> "
                        + response.body());
            } else {
                Optional<String> problem = wireProblem(path, response);
                if (problem.isPresent()) {
                    malformed.add(response.statusCode() + " for " + path + ": "
                            + problem.get().replace(MARKER, "<marker>"));
                }
                assertTrue(
                        response.headers().firstValue("X-Inferoute-Request-Id").isPresent());
            }
        }
        System.out.println("fuzzed " + sent + " requests; statuses " + statuses);
        assertTrue(sent >= 1_000, "only " + sent + " fuzzed requests within " + FUZZ_TIME);
        assertTrue(
                serverErrors.isEmpty(),
                serverErrors.size() + " server errors, e.g.:\n"
                        + String.join("\n", serverErrors.subList(0, Math.min(10, serverErrors.size()))));
        assertTrue(
                malformed.isEmpty(),
                malformed.size() + " answers an OpenAI client could not read, e.g.:\n"
                        + String.join("\n", malformed.subList(0, Math.min(10, malformed.size()))));
        int refused = statuses.entrySet().stream()
                .filter(e -> e.getKey() >= 400)
                .mapToInt(Map.Entry::getValue)
                .sum();
        assertTrue(refused >= sent / 2, "most mutations are malformed, yet only " + refused + " were refused");
        HttpResponse<String> healthy = chat(chatBody("gpt-4o-mini", false, "still there? " + MARKER));
        assertEquals(200, healthy.statusCode(), healthy.body());
        // The launcher's plan for the demo account, set through environment variables, reached the gateway.
        assertEquals(
                "60000000",
                healthy.headers().firstValue("x-ratelimit-limit-requests").orElse(""));
        assertTrue(healthy.headers().firstValue("x-ratelimit-remaining-tokens").isPresent());
        for (String service : LocalSuite.SERVICES) {
            assertEquals(
                    200,
                    http.send(
                                    HttpRequest.newBuilder(URI.create(suite.managementUrl(service) + "/q/health/live"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode(),
                    service);
            // Health lives on the management port only: the API port, the one a load balancer publishes, has no /q.
            assertEquals(
                    404,
                    http.send(
                                    HttpRequest.newBuilder(URI.create(suite.serviceUrl(service) + "/q/health/live"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode(),
                    service);
        }
    }

    @Test
    @Order(2)
    void aClientThatHangsUpMidStreamCancelsTheProviderCall() throws Exception {
        double h2Before = routingAnswers("h2");
        meta.behave(
                "meta",
                Behaviour.builder()
                        .chunkDelayMs(100)
                        .reply(("A long answer that streams slowly, word by word. ").repeat(40))
                        .build());
        try {
            HttpResponse<InputStream> response = http.send(
                    HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/chat/completions"))
                            .header("Authorization", "Bearer " + suite.demoKey())
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    chatBody("meta/llama-3.3-70b", true, "Tell a long story about " + MARKER)))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            // The hop is HTTP/2, so the cancel below travels as a reset of one stream, not a closed connection.
            assertTrue(routingAnswers("h2") > h2Before, "the gateway reached routing-service over HTTP/2");
            assertEquals(0.0, routingAnswers("http/1.1"), "no answer came over HTTP/1.1");
            String requestId =
                    response.headers().firstValue("X-Inferoute-Request-Id").orElseThrow();
            answeredRequestIds.add(requestId);
            InputStream body = response.body();
            byte[] buffer = new byte[4096];
            long received = 0;
            while (received < 600) {
                int n = body.read(buffer);
                assertTrue(n > 0, "the stream ended before the client could hang up");
                received += n;
            }
            TappedRelay.Link streaming = relay.links().stream()
                    .filter(link -> link.lastRequestLine.contains("/chat/completions"))
                    .max((a, b) -> Long.compare(a.lastRequestAt, b.lastRequestAt))
                    .orElseThrow();
            body.close();
            long hungUp = System.nanoTime();
            Instant deadline = Instant.now().plusSeconds(5);
            while (streaming.routingHungUpAt.get() == 0 && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertTrue(
                    streaming.routingHungUpAt.get() != 0,
                    "routing-service kept reading from the provider after the client hung up");
            long cancelMillis = TimeUnit.NANOSECONDS.toMillis(streaming.routingHungUpAt.get() - hungUp);
            long carried = streaming.fromProvider.get();
            Thread.sleep(1_000);
            assertEquals(carried, streaming.fromProvider.get(), "bytes kept flowing after the cancel");
            System.out.println("provider call cancelled " + cancelMillis + " ms after the client hung up, after "
                    + carried + " bytes of a stream that would have run about 40 s");
            // Meta reports usage only at the end of a stream: the bill rests on the prompt and the answer sent.
            String ledger = ledger(requestId, Duration.ofSeconds(20));
            assertTrue(ledger.startsWith("200 "), "the cancelled request is not in the ledger: " + ledger);
            JsonNode line = JSON.readTree(ledger.substring(4));
            assertEquals("CANCELLED", line.path("status").asText(), ledger);
            assertTrue(line.path("input_tokens").asLong() > 0, "prompt not billed: " + ledger);
            assertTrue(line.path("output_tokens").asLong() > 0, "streamed answer not billed: " + ledger);
            assertTrue(new BigDecimal(line.path("provider_cost_usd").asText()).signum() > 0, ledger);
            System.out.println("ledger for the cancelled request: " + ledger);
        } finally {
            meta.reset("meta");
        }
    }

    @Test
    @Order(3)
    void promptsReachEveryProviderAndLeaveNoTraceAtRest() throws Exception {
        for (String model : List.of(
                "gpt-4o-mini",
                "anthropic/claude-haiku-4-5",
                "google/gemini-2.5-flash",
                "mistral/mistral-small-latest",
                "meta/llama-3.3-70b")) {
            HttpResponse<String> plain = chat(chatBody(model, false, "Remember " + MARKER));
            assertEquals(200, plain.statusCode(), model + ": " + plain.body());
            answered(plain);
            HttpResponse<String> streamed = chat(chatBody(model, true, "Stream " + MARKER));
            assertEquals(200, streamed.statusCode(), model + ": " + streamed.body());
            assertTrue(streamed.body().strip().endsWith("data: [DONE]"), model + ": " + streamed.body());
            answered(streamed);
        }
        for (String provider : List.of("openai", "anthropic", "google", "mistral")) {
            assertTrue(suite.simulators().requestCount(provider) > 0, provider + " was never called");
        }
        assertTrue(meta.requestCount("meta") > 0, "meta was never called");
        HttpResponse<String> embedded =
                send("/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":[\"" + MARKER + "\"]}");
        assertEquals(200, embedded.statusCode(), embedded.body());
        answered(embedded);

        suite.simulators()
                .behave("openai", Behaviour.builder().errorStatus(503).times(1).build());
        HttpResponse<String> fellBack = chat(chatBody("gpt-4o", false, "Fall back with " + MARKER));
        assertEquals(200, fellBack.statusCode(), fellBack.body());
        assertEquals(
                "true", fellBack.headers().firstValue("X-TokenHub-Fallback").orElse(""), "a backup answered");
        answered(fellBack);

        suite.simulators()
                .behave("anthropic", Behaviour.builder().errorStatus(500).build());
        HttpResponse<String> failed = chat(chatBody("anthropic/claude-haiku-4-5", false, "Fail with " + MARKER));
        assertTrue(failed.statusCode() >= 500, "a prefixed model never falls back: " + failed.statusCode());
        suite.simulators().behave("mistral", Behaviour.builder().failMidStream().build());
        HttpResponse<String> brokenStream = chat(chatBody("mistral/mistral-small-latest", true, "Break " + MARKER));
        assertEquals(200, brokenStream.statusCode());
        suite.simulators().reset("anthropic");
        suite.simulators().reset("mistral");
        suite.simulators().reset("openai");

        HttpResponse<String> unknownModel = chat(chatBody("no-such-model", false, "Route " + MARKER));
        assertEquals(404, unknownModel.statusCode(), unknownModel.body());
        HttpResponse<String> badJson = chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"content\":\"" + MARKER);
        assertEquals(400, badJson.statusCode(), badJson.body());

        // Billing is asynchronous: once the last answered request is in the ledger, everything before it is too.
        for (String requestId : answeredRequestIds) {
            assertTrue(ledger(requestId, Duration.ofSeconds(60)).startsWith("200"), "not billed: " + requestId);
        }
        // Billed once: plain, streamed, embeddings, the fallback and the cancelled stream each made one usage event.
        Map<String, Integer> events = SuiteTests.usageEventsByRequestId(suite);
        for (String requestId : answeredRequestIds) {
            assertEquals(1, events.getOrDefault(requestId, 0), "usage events for " + requestId);
        }

        List<String> hits = new ArrayList<>();
        hits.addAll(searchLogs());
        hits.addAll(searchDatabase());
        hits.addAll(searchKafka());
        hits.addAll(searchSpans());
        hits.addAll(searchFiles(suite.dataDir().resolve("postgres"), "PostgreSQL data directory"));
        hits.addAll(searchFiles(suite.dataDir().resolve("kafka"), "Kafka data directory"));
        assertTrue(hits.isEmpty(), "the marker was found at rest:\n" + String.join("\n", hits));
    }

    private static List<String> searchLogs() throws IOException {
        List<String> hits = new ArrayList<>();
        long bytes = 0;
        try (Stream<Path> files = Files.walk(suite.logDir())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file, StandardCharsets.ISO_8859_1);
                bytes += text.length();
                if (text.contains(MARKER)) {
                    hits.add("log " + file);
                }
            }
        }
        // A search that finds nothing proves something only if it searched what it should: request ids are logged.
        assertTrue(bytes > 10_000, "the service logs are nearly empty: " + bytes + " bytes");
        return hits;
    }

    private static List<String> searchDatabase() throws Exception {
        LocalSuite.Database db = suite.database();
        List<String> hits = new ArrayList<>();
        long rows = 0;
        boolean requestIdFound = false;
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery(
                    "select table_schema, table_name from information_schema.tables"
                            + " where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add("\"" + rs.getString(1) + "\".\"" + rs.getString(2) + "\"");
                }
            }
            assertFalse(tables.isEmpty(), "no tables to search");
            for (String table : tables) {
                try (ResultSet rs = statement.executeQuery("select count(*), count(*) filter (where t::text like '%"
                        + MARKER + "%' or t::text like '%"
                        + HexFormat.of().formatHex(MARKER.getBytes(StandardCharsets.UTF_8))
                        + "%'), count(*) filter (where t::text like '%"
                        + answeredRequestIds.get(0) + "%') from " + table + " t")) {
                    rs.next();
                    rows += rs.getLong(1);
                    if (rs.getLong(2) > 0) {
                        hits.add("PostgreSQL " + table + ": " + rs.getLong(2) + " rows");
                    }
                    requestIdFound |= rs.getLong(3) > 0;
                }
            }
        }
        assertTrue(rows > 0, "the database is empty");
        assertTrue(requestIdFound, "the search cannot even find a billed request id: it is not searching the ledger");
        return hits;
    }

    private static List<String> searchKafka() throws Exception {
        List<String> hits = new ArrayList<>();
        byte[] marker = MARKER.getBytes(StandardCharsets.UTF_8);
        byte[] requestId = answeredRequestIds.get(0).getBytes(StandardCharsets.UTF_8);
        long records = 0;
        boolean requestIdFound = false;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafka().bootstrapServers());
        List<TopicPartition> partitions = new ArrayList<>();
        try (Admin admin = Admin.create(props)) {
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true))
                    .names()
                    .get();
            for (TopicDescription topic :
                    admin.describeTopics(topics).allTopicNames().get().values()) {
                topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
            }
        }
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plusSeconds(60);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    boolean hit = contains(record.key(), marker) || contains(record.value(), marker);
                    for (Header header : record.headers()) {
                        hit |= contains(header.value(), marker) || header.key().contains(MARKER);
                    }
                    if (hit) {
                        hits.add("Kafka " + record.topic() + "-" + record.partition() + "@" + record.offset());
                    }
                    requestIdFound |= contains(record.value(), requestId);
                }
            }
            assertTrue(
                    partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p)),
                    "could not read every topic to its end");
        }
        assertTrue(records > 0, "Kafka holds no records");
        assertTrue(requestIdFound, "the search cannot even find a billed request id in Kafka");
        return hits;
    }

    /**
     * What the services exported over OTLP: the fallback request's trace must run from the gateway through routing and
     * Kafka into billing, or the search below would prove nothing; then the marker must be in no span (name,
     * attribute, event) and nowhere in the raw export requests.
     */
    private static List<String> searchSpans() {
        Duration patience = Duration.ofSeconds(30);
        ExportedSpan backup =
                spans.await(s -> "true".equals(s.attribute("tokenhub.fallback")), patience, "a backup's provider call");
        spans.await(
                s -> s.traceId().equals(backup.traceId()) && s.service().equals("billing-service"),
                patience,
                "billing's consumer span in the fallback request's trace " + backup.traceId());
        Set<String> services = spans.trace(backup.traceId()).stream()
                .map(ExportedSpan::service)
                .collect(Collectors.toSet());
        assertEquals(
                Set.of("gateway-service", "routing-service", "billing-service"),
                services,
                "one trace across the services for one request");
        assertTrue(spans.contains("gateway-service"), "the raw export search cannot even find a service name");
        return spans.contains(MARKER) ? List.of("exported spans (OTLP)") : List.of();
    }

    /** Raw bytes of a data directory: write-ahead logs, dead tuples and segments a query would not show. */
    private static List<String> searchFiles(Path dir, String what) throws IOException {
        byte[] marker = MARKER.getBytes(StandardCharsets.UTF_8);
        List<String> hits = new ArrayList<>();
        long files = 0;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                files++;
                try {
                    if (contains(Files.readAllBytes(file), marker)) {
                        hits.add(what + ": " + dir.relativize(file));
                    }
                } catch (IOException e) {
                    // A file that vanished while we looked (a rotated segment) held nothing we must see.
                }
            }
        }
        assertTrue(files > 0, what + " is empty");
        return hits;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        if (haystack == null || haystack.length < needle.length) {
            return false;
        }
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * What is wrong with an answer by OpenAI's rules: an error body for 4xx, else a chat completion, a stream or an
     * embeddings list, whichever the path and content type say it is.
     */
    private static Optional<String> wireProblem(String path, HttpResponse<String> response) {
        if (response.statusCode() >= 400) {
            return OpenAiWire.error(response.body());
        }
        if (response.statusCode() != 200) {
            return Optional.of("unexpected status");
        }
        if (response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream")) {
            return OpenAiWire.chatStream(response.body());
        }
        return path.endsWith("/embeddings")
                ? OpenAiWire.embeddings(response.body())
                : OpenAiWire.chatCompletion(response.body());
    }

    private static void answered(HttpResponse<String> response) {
        answeredRequestIds.add(
                response.headers().firstValue("X-Inferoute-Request-Id").orElseThrow());
    }

    /** The ledger's answer for a request once it is there (or the last answer at the deadline), as status and body. */
    private static String ledger(String requestId, Duration within) throws Exception {
        String token = suite.dashboardToken(suite.demoAccount(), Set.of(), Duration.ofMinutes(10));
        Instant deadline = Instant.now().plus(within);
        HttpResponse<String> last;
        do {
            last = http.send(
                    HttpRequest.newBuilder(URI.create(
                                    suite.serviceUrl("billing-service") + "/api/billing/requests/" + requestId))
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (last.statusCode() == 200) {
                break;
            }
            Thread.sleep(250);
        } while (Instant.now().isBefore(deadline));
        return last.statusCode() + " " + last.body();
    }

    private static String chatBody(String model, boolean stream, String prompt) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "") + ",\"max_tokens\":64,\"messages\":["
                + "{\"role\":\"system\",\"content\":\"Keep " + MARKER + " secret.\"},"
                + "{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
    }

    private static HttpResponse<String> chat(String body) throws IOException, InterruptedException {
        return send("/v1/chat/completions", body);
    }

    private static HttpResponse<String> send(String path, String body) throws IOException, InterruptedException {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + path))
                            .header("Authorization", "Bearer " + suite.demoKey())
                            .header("content-type", "application/json")
                            .timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Issue 14: 10,000 requests to random URLs and random model names, many without a key, leave the metric series of
     * the gateway and routing-service as they were: every label comes from a fixed set, so nobody can grow the
     * services' memory by inventing paths.
     */
    @Test
    @Order(5)
    void randomUrlsAndModelsNeverGrowTheMetrics() throws Exception {
        Random random = new Random(14);
        List<Supplier<HttpRequest>> kinds = List.of(
                () -> get("/v1/" + Long.toHexString(random.nextLong()), null),
                () -> get("/" + Long.toHexString(random.nextLong()), null),
                () -> get("/v1/models/" + Long.toHexString(random.nextLong()), suite.demoKey()),
                () -> get("/v1/responses/resp_" + Long.toHexString(random.nextLong()), suite.demoKey()),
                () -> HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/chat/completions"))
                        .header("Authorization", "Bearer " + (random.nextBoolean() ? suite.demoKey() : "sk-nope"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m" + random.nextLong()
                                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
                        .build());
        // A first 2,000 make every series these kinds of request can make at all (each method, status and template
        // once); the 10,000 after them must add none.
        send(kinds, random, 2_000);
        Set<String> gateway = series(suite.managementUrl("gateway-service"));
        Set<String> routing = series(suite.managementUrl("routing-service"));
        send(kinds, random, 10_000);
        Set<String> gatewayAfter = series(suite.managementUrl("gateway-service"));
        gatewayAfter.removeAll(gateway);
        assertTrue(
                gatewayAfter.isEmpty(),
                "new gateway series: " + gatewayAfter.stream().limit(5).toList());
        Set<String> routingAfter = series(suite.managementUrl("routing-service"));
        routingAfter.removeAll(routing);
        assertTrue(
                routingAfter.isEmpty(),
                "new routing series: " + routingAfter.stream().limit(5).toList());
    }

    private static void send(List<Supplier<HttpRequest>> kinds, Random random, int count) {
        for (int sent = 0; sent < count; sent += 50) {
            List<CompletableFuture<HttpResponse<Void>>> batch = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                batch.add(http.sendAsync(
                        kinds.get(random.nextInt(kinds.size())).get(), HttpResponse.BodyHandlers.discarding()));
            }
            batch.forEach(CompletableFuture::join);
        }
    }

    private static HttpRequest get(String path, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + path));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return request.GET().build();
    }

    /** Answers the gateway had from routing-service over {@code protocol}, by its metric. */
    private static double routingAnswers(String protocol) throws Exception {
        String metrics = http.send(
                        HttpRequest.newBuilder(URI.create(suite.managementUrl("gateway-service") + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return metrics.lines()
                .filter(line -> line.startsWith("tokenhub_gateway_routing_answers_total{")
                        && line.contains("protocol=\"" + protocol + "\""))
                // A sample may end in an exemplar when traces are on: the value is the word before it.
                .map(line -> line.contains(" # ") ? line.substring(0, line.indexOf(" # ")) : line)
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /**
     * The names and labels of a service's HTTP server series, values left out: the series a request's URL could name.
     * Others (a Kafka consumer's first fetch of a topic) appear on their own time.
     */
    private static Set<String> series(String managementUrl) throws Exception {
        String metrics = http.send(
                        HttpRequest.newBuilder(URI.create(managementUrl + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Set<String> out = new TreeSet<>();
        metrics.lines()
                .filter(line -> line.startsWith("http_server_"))
                // With traces on, a sample may end in an exemplar (` # {span_id=...,trace_id=...} 1.0`): a new one
                // each scrape, and no series of its own.
                .map(line -> line.contains(" # ") ? line.substring(0, line.indexOf(" # ")) : line)
                .map(line -> line.substring(0, line.lastIndexOf(' ')))
                .forEach(out::add);
        return out;
    }
}
