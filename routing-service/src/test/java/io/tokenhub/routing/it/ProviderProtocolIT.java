package io.tokenhub.routing.it;

import static io.tokenhub.routing.it.RoutingIt.internal;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.simulator.RecordedRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which protocol each provider is called over, as its simulator saw it: HTTP/2 (h2c with prior knowledge on the
 * simulators' plain http) where the real provider serves it, HTTP/1.1 for Meta (application.properties), and HTTP/1.1
 * for a body larger than the stream window the simulator grants (the protocol's default 64 KB).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SimulatorTestResource.class, restrictToAnnotatedClass = false)
class ProviderProtocolIT {

    private static final Map<String, String> MODEL = Map.of(
            "openai", "openai/gpt-4o-mini",
            "anthropic", "anthropic/claude-sonnet-4-5",
            "google", "google/gemini-2.5-pro",
            "mistral", "mistral/mistral-small-latest",
            "meta", "meta/llama-3.3-70b");

    @ParameterizedTest
    @CsvSource({"openai, HTTP_2", "anthropic, HTTP_2", "google, HTTP_2", "mistral, HTTP_2", "meta, HTTP_1_1"})
    void eachProviderIsCalledOverItsProtocol(String provider, HttpVersion expected) {
        String requestId = "it-" + UUID.randomUUID();
        internal(requestId)
                .body("{\"model\":\"" + MODEL.get(provider)
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"which protocol?\"}]}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(200);
        RecordedRequest seen =
                SimulatorTestResource.server().lastRequest(provider).orElseThrow();
        assertEquals(expected, seen.version(), provider + " was called over " + seen.version());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void aPromptLargerThanTheProvidersStreamWindowGoesOverHttp1(String provider) {
        String requestId = "it-" + UUID.randomUUID();
        String prompt = "lorem ipsum ".repeat(100 * 1024 / 12);
        internal(requestId)
                .body("{\"model\":\"" + MODEL.get(provider) + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                        + prompt + "\"}]}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(200);
        RecordedRequest seen =
                SimulatorTestResource.server().lastRequest(provider).orElseThrow();
        assertEquals(HttpVersion.HTTP_1_1, seen.version(), provider + " was called over " + seen.version());
    }
}
