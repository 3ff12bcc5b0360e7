package io.tokenhub.health.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.events.AvailabilityEvent;
import io.tokenhub.common.events.AvailabilityStatus;
import io.tokenhub.common.events.EventJson;
import io.tokenhub.common.events.ProviderOutcome;
import io.tokenhub.common.events.Topics;
import io.tokenhub.infra.testing.DevOidcTestResource;
import io.tokenhub.infra.testing.KafkaTestResource;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole monitor on real Kafka, real HTTP probes against the provider simulators, real OIDC tokens, and leader
 * election against the Kubernetes mock API server. Probes every second and a 5 s window come from the test profile.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(DevOidcTestResource.class)
@QuarkusTestResource(SimulatorTestResource.class)
@WithKubernetesTestServer(crud = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthMonitorIT {

    // Health, metrics and the OpenAPI document are on the management interface (its root is /q), not the API port.
    @TestHTTPResource(value = "/health/ready", management = true)
    URL readyUrl;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metricsUrl;

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapiUrl;

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @KubernetesTestServer
    KubernetesServer kubernetes;

    @Test
    @Order(1)
    void everySimulatedProviderIsProbedAndPublishedUp() {
        List<String> simulated = SimulatorTestResource.providers();
        assertTrue(simulated.contains("openai"));
        assertTrue(!simulated.contains(SimulatorTestResource.UNPROBED));
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonPath status = status();
            for (String provider : simulated) {
                assertEquals("UP", status.getString(provider(provider) + ".status"), provider);
            }
        });
        JsonPath status = status();
        for (Provider provider : Provider.values()) {
            String entry = provider(provider.wireName());
            if (simulated.contains(provider.wireName())) {
                assertEquals(Boolean.TRUE, status.getBoolean(entry + ".probed"));
                assertEquals(0.0f, status.getFloat(entry + ".error_rate"));
                assertNotNull(status.get(entry + ".latency_ms"));
                assertNotNull(Instant.parse(status.getString(entry + ".checked_at")));
            } else {
                assertEquals("UNKNOWN", status.getString(entry + ".status"), "no base URL, no traffic");
                assertEquals(Boolean.FALSE, status.getBoolean(entry + ".probed"));
            }
            assertEquals(List.of(), status.getList(entry + ".models"));
        }
        assertEquals(Provider.values().length, status.getList("providers").size());
    }

    @Test
    @Order(2)
    void theAvailabilityTopicIsCreatedCompacted() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.PROVIDER_AVAILABILITY);
            Config config = admin.describeConfigs(List.of(topic))
                    .all()
                    .get(10, TimeUnit.SECONDS)
                    .get(topic);
            assertEquals("compact", config.get("cleanup.policy").value());
        }
    }

    @Test
    @Order(3)
    void theStatusApiWantsAValidBearerToken() {
        given().when()
                .get("/api/providers/status")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_token"))
                .body("error.param", nullValue());
        given().auth()
                .oauth2("not-a-token")
                .when()
                .get("/api/providers/status")
                .then()
                .statusCode(401)
                .body("error.message", equalTo("A valid bearer token is required."));
        // Signed by the same issuer with the same claims, but for another client of the realm.
        given().auth()
                .oauth2(DevOidcTestResource.tokenForAudience("another-app", "acct-aud"))
                .when()
                .get("/api/providers/status")
                .then()
                .statusCode(401)
                .body("error.code", equalTo("invalid_token"));
        given().auth()
                .oauth2(DevOidcTestResource.tokenFor("acct-aud"))
                .when()
                .get("/api/providers/status")
                .then()
                .statusCode(200);
    }

    @Test
    @Order(4)
    void thisReplicaHoldsTheLeaseAndSaysSo() {
        Lease lease = kubernetes
                .getClient()
                .leases()
                .inNamespace(kubernetes.getClient().getNamespace())
                .withName("tokenhub-health-monitor")
                .get();
        assertNotNull(lease, "the Lease is created in the client's namespace");
        assertEquals("health-monitor-it", lease.getSpec().getHolderIdentity());
        assertEquals(6, lease.getSpec().getLeaseDurationSeconds(), "tokenhub.health.leader-election.lease-duration");

        given().when()
                .get(readyUrl.toString())
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Kafka connection health check"))
                .body("checks.find { it.name == 'leader-election' }.data.leader", equalTo(true))
                .body("checks.find { it.name == 'leader-election' }.data.identity", equalTo("health-monitor-it"));
    }

    @Test
    @Order(5)
    void anOutageIsDetectedPublishedAndRecoveredFrom() throws Exception {
        String control = SimulatorTestResource.server().baseUrl("openai") + "/__sim/behaviour";
        given().contentType(ContentType.JSON)
                .body("{\"drop_connection\": true}")
                .when()
                .put(control)
                .then()
                .statusCode(204);
        try {
            await().atMost(PATIENCE).until(() -> "DOWN".equals(status().getString(provider("openai") + ".status")));
            JsonPath down = status();
            assertTrue(down.getFloat(provider("openai") + ".error_rate") > 0.0f);
        } finally {
            given().when().delete(control).then().statusCode(204);
        }
        await().atMost(PATIENCE).until(() -> "UP".equals(status().getString(provider("openai") + ".status")));

        List<AvailabilityStatus> published = new ArrayList<>();
        for (ConsumerRecord<String, String> record : availabilityTopic()) {
            if ("openai".equals(record.key())) {
                assertTrue(record.value().contains("\"checked_at\":\"20"), "ISO-8601 instants: " + record.value());
                AvailabilityEvent event = EventJson.MAPPER.readValue(record.value(), AvailabilityEvent.class);
                assertEquals("openai", event.provider());
                if (published.isEmpty() || published.get(published.size() - 1) != event.status()) {
                    published.add(event.status());
                }
            }
        }
        int down = published.indexOf(AvailabilityStatus.DOWN);
        assertTrue(down > 0 && published.get(0) == AvailabilityStatus.UP, "UP, then DOWN: " + published);
        assertEquals(AvailabilityStatus.UP, published.get(published.size() - 1), "UP again: " + published);
    }

    @Test
    @Order(6)
    void failingCallsOfOneModelGiveItAnEntryOfItsOwnUntilTheyLeaveTheWindow() throws Exception {
        // Start from a clean window: the outage before has left it.
        await().atMost(PATIENCE).until(() -> status().getFloat(provider("openai") + ".error_rate") == 0.0f);
        // gpt-4o-mini fails twice in a row while calls for gpt-4o succeed, as when one model is broken.
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 10; i++) {
                report(producer, new ProviderOutcome("openai", "gpt-4o", true, null, 900, Instant.now()));
            }
            // One record holding both, as routing-service sends a provider's outcomes of each 200 ms; the successes
            // above are single records, as an older routing-service sent them during a rolling deploy.
            ProviderOutcome failure = new ProviderOutcome(
                    "openai", "gpt-4o-mini", false, ProviderOutcome.FailureKind.SERVER_ERROR, 40, Instant.now());
            producer.send(new ProducerRecord<>(
                            Topics.PROVIDER_OUTCOMES,
                            "openai",
                            EventJson.MAPPER.writeValueAsString(List.of(failure, failure))))
                    .get(10, TimeUnit.SECONDS);
        }
        String models = provider("openai") + ".models";
        await().atMost(PATIENCE).until(() -> status().getList(models).size() == 1);
        JsonPath status = status();
        assertEquals("UP", status.getString(provider("openai") + ".status"), "probes and other calls succeed");
        assertEquals("gpt-4o-mini", status.getString(models + "[0].model"));
        assertEquals("DOWN", status.getString(models + "[0].status"));
        assertEquals(1.0f, status.getFloat(models + "[0].error_rate"));

        // No more calls for it: once the window (5 s) has passed, the model follows openai again.
        await().atMost(PATIENCE).until(() -> status().getList(models).isEmpty());
        List<String> modelRecords = new ArrayList<>();
        for (ConsumerRecord<String, String> record : availabilityTopic()) {
            if ("openai/gpt-4o-mini".equals(record.key())) {
                modelRecords.add(
                        record.value() == null
                                ? "tombstone"
                                : EventJson.MAPPER
                                        .readValue(record.value(), AvailabilityEvent.class)
                                        .status()
                                        .name());
            }
        }
        assertEquals("DOWN", modelRecords.get(0), String.valueOf(modelRecords));
        assertTrue(
                availabilityTopic().stream().noneMatch(record -> record.key().equals("openai/gpt-4o")),
                "gpt-4o is as healthy as openai: no entry of its own");
        assertEquals("tombstone", modelRecords.get(modelRecords.size() - 1), String.valueOf(modelRecords));
    }

    @Test
    @Order(7)
    void prometheusSeesThePublishedState() {
        String metrics = given().when()
                .get(metricsUrl.toString())
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(metrics.contains("tokenhub_provider_status{provider=\"openai\",status=\"UP\"} 1.0"), metrics);
        assertTrue(metrics.contains("tokenhub_provider_status{provider=\"openai\",status=\"DOWN\"} 0.0"));
        assertTrue(metrics.contains("tokenhub_provider_error_rate{provider=\"openai\"}"));
        assertTrue(metrics.contains("tokenhub_provider_latency_seconds{provider=\"openai\"}"));
        assertTrue(metrics.contains("tokenhub_health_leader 1.0"));
        assertTrue(
                metrics.contains("tokenhub_provider_probe_seconds_count{provider=\"openai\",result=\"connection\"}"),
                "the outage's failed probes were counted");
    }

    @Test
    @Order(8)
    void theOpenApiDocumentDescribesTheStatusEndpoint() {
        given().queryParam("format", "json")
                .when()
                .get(openapiUrl.toString())
                .then()
                .statusCode(200)
                .body(
                        "paths.'/api/providers/status'.get.summary",
                        equalTo("Each provider's status, error rate, latency and last check"))
                .body("components.securitySchemes.DashboardToken.scheme", equalTo("bearer"))
                .body("paths.'/api/providers/status'.get.security[0].DashboardToken", notNullValue());
    }

    private static JsonPath status() {
        return given().auth()
                .oauth2(DevOidcTestResource.tokenFor("acct-health-it"))
                .when()
                .get("/api/providers/status")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .jsonPath();
    }

    private static String provider(String name) {
        return "providers.find { it.provider == '" + name + "' }";
    }

    /** Every record on the availability topic, from the beginning; values are null for tombstones. */
    private static List<ConsumerRecord<String, String>> availabilityTopic() throws IOException {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PROVIDER_AVAILABILITY).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("could not read " + Topics.PROVIDER_AVAILABILITY + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        records.forEach(record -> Objects.requireNonNull(record.key(), "every record has a key"));
        return records;
    }

    private static void report(KafkaProducer<String, String> producer, ProviderOutcome outcome) throws Exception {
        producer.send(new ProducerRecord<>(
                        Topics.PROVIDER_OUTCOMES, outcome.provider(), EventJson.MAPPER.writeValueAsString(outcome)))
                .get(10, TimeUnit.SECONDS);
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static String bootstrap() {
        return KafkaTestResource.broker().bootstrapServers();
    }
}
