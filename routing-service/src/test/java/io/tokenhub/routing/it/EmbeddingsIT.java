package io.tokenhub.routing.it;

import static io.tokenhub.routing.it.RoutingIt.internal;
import static io.tokenhub.routing.it.RoutingIt.usageEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.SimulatorServer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST /v1/embeddings} through routing-service against the openai, google and mistral simulators. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SimulatorTestResource.class, restrictToAnnotatedClass = false)
class EmbeddingsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> MODEL = Map.of(
            "openai",
            "openai/text-embedding-3-small",
            "google",
            "google/gemini-embedding-001",
            "mistral",
            "mistral/mistral-embed");

    @AfterEach
    void normalSimulators() {
        SimulatorServer.DEFAULT_PORTS.keySet().forEach(SimulatorTestResource.server()::reset);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "google", "mistral"})
    void embedsInOpenAiShapeAndBillsTheInputTokens(String provider) throws Exception {
        String requestId = "it-" + UUID.randomUUID();
        Response response = internal(requestId)
                .body("{\"model\":\"" + MODEL.get(provider)
                        + "\",\"input\":[\"Hello\",\"TokenHub!\"],\"dimensions\":8}")
                .post("/v1/embeddings");
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals(provider, response.header(TokenHubHeaders.PROVIDER));
        JsonNode body = JSON.readTree(response.asString());
        assertEquals("list", body.path("object").asText());
        assertEquals(2, body.path("data").size());
        for (int i = 0; i < 2; i++) {
            JsonNode item = body.path("data").get(i);
            assertEquals("embedding", item.path("object").asText());
            assertEquals(i, item.path("index").asInt());
            assertEquals(8, item.path("embedding").size());
        }
        // One token per started group of four characters: "Hello" 2, "TokenHub!" 3.
        assertEquals(5, body.path("usage").path("prompt_tokens").asLong());
        UsageEvent event = usageEvent(requestId);
        assertEquals(provider, event.provider());
        assertEquals(5, event.inputTokens());
        assertEquals(0, event.outputTokens());
        assertEquals(RequestStatus.SUCCEEDED, event.status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "google", "mistral"})
    void base64VectorsAreLittleEndianFloatsAsTheOpenAiSdksDecodeThem(String provider) throws Exception {
        Response response = internal("it-" + UUID.randomUUID())
                .body("{\"model\":\"" + MODEL.get(provider)
                        + "\",\"input\":\"Hello\",\"dimensions\":16,\"encoding_format\":\"base64\"}")
                .post("/v1/embeddings");
        assertEquals(200, response.statusCode(), response.asString());
        JsonNode embedding =
                JSON.readTree(response.asString()).path("data").get(0).path("embedding");
        assertTrue(embedding.isTextual(), embedding.toString());
        byte[] bytes = Base64.getDecoder().decode(embedding.asText());
        assertEquals(16 * Float.BYTES, bytes.length);
        // The same input as floats is the oracle: read little-endian, as the SDKs do, the bytes must give those floats
        // (read big-endian they would not).
        JsonNode floats = JSON.readTree(internal("it-" + UUID.randomUUID())
                        .body("{\"model\":\"" + MODEL.get(provider) + "\",\"input\":\"Hello\",\"dimensions\":16}")
                        .post("/v1/embeddings")
                        .asString())
                .path("data")
                .get(0)
                .path("embedding");
        FloatBuffer decoded =
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int i = 0; i < 16; i++) {
            assertEquals((float) floats.get(i).asDouble(), decoded.get(i), 1e-7f, "dimension " + i);
        }
    }

    @Test
    void providerErrorsAndWrongModelsGetOpenAiErrors() {
        SimulatorTestResource.server()
                .behave("google", Behaviour.builder().errorStatus(429).build());
        Response limited = internal("it-" + UUID.randomUUID())
                .body("{\"model\":\"gemini-embedding-001\"," + "\"input\":\"Hello\"}")
                .post("/v1/embeddings");
        assertEquals(429, limited.statusCode());
        assertEquals("2", limited.header("retry-after"), "Gemini's RetryInfo becomes Retry-After");
        internal("it-" + UUID.randomUUID())
                .body("{\"model\":\"claude-haiku-4-5\",\"input\":\"Hello\"}")
                .post("/v1/embeddings")
                .then()
                .statusCode(400);
        internal("it-" + UUID.randomUUID())
                .body("{\"model\":\"no-such-embedder\",\"input\":\"Hello\"}")
                .post("/v1/embeddings")
                .then()
                .statusCode(404);
        internal("it-" + UUID.randomUUID())
                .body("{\"model\":\"mistral-embed\",\"input\":[]}")
                .post("/v1/embeddings")
                .then()
                .statusCode(400);
    }
}
