package io.tokenhub.routing.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.common.catalog.Provider;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OpenRouter's routing fields as a chat request carries them: read, validated, and never left for a provider. */
class RoutingPreferencesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ChatRequest parse(String body) {
        return ChatRequest.parse(JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theFieldsAreReadAndTakenOutOfTheBody() {
        ChatRequest request = parse("""
                {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}],
                 "models": ["claude-3-5-sonnet", "google/gemini-1.5-pro"],
                 "provider": {"order": ["anthropic", "google"], "ignore": ["meta"], "allow_fallbacks": false,
                              "sort": "price", "require_parameters": true}}
                """);
        RoutingPreferences routing = request.routing();
        assertEquals(List.of("claude-3-5-sonnet", "google/gemini-1.5-pro"), routing.models());
        assertEquals(List.of(Provider.ANTHROPIC, Provider.GOOGLE), routing.order());
        assertEquals(Set.of(Provider.META), routing.ignore());
        assertEquals(Optional.of(false), routing.allowFallbacks());
        assertEquals(Optional.of(RoutingPreferences.Sort.PRICE), routing.sort());
        assertTrue(routing.requireParameters());
        assertFalse(request.body().has("models"), "never forwarded to a provider");
        assertFalse(request.body().has("provider"), "never forwarded to a provider");
    }

    @Test
    void aListWithoutAModelStartsWithItsFirstAndNoFieldsMeansNone() {
        assertEquals(
                "claude-3-5-sonnet",
                parse(
                                "{\"models\": [\"claude-3-5-sonnet\"], \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}")
                        .model());
        assertTrue(parse("{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}")
                .routing()
                .none());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"models\": []|models",
                "\"models\": [1]|models[0]",
                "\"provider\": []|provider",
                "\"provider\": {\"order\": [\"openrouter\"]}|provider.order",
                "\"provider\": {\"only\": \"openai\"}|provider.only",
                "\"provider\": {\"sort\": \"cheapest\"}|provider.sort",
                "\"provider\": {\"allow_fallbacks\": \"no\"}|provider.allow_fallbacks",
                "\"provider\": {\"quantizations\": [\"fp8\"]}|provider.quantizations",
            })
    void badValuesGetA400NamingTheField(String field, String param) {
        InvalidRequestException refused = assertThrows(
                InvalidRequestException.class,
                () -> parse("{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], "
                        + field + "}"));
        assertEquals(400, refused.error().status());
        assertEquals(param, refused.error().param());
    }
}
