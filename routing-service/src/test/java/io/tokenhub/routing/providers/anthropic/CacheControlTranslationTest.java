package io.tokenhub.routing.providers.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.providers.openai.OpenAiAdapter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code cache_control} on OpenAI-format parts, messages and tools lands on the matching Anthropic block (the shape
 * of https://docs.claude.com/en/docs/build-with-claude/prompt-caching), and OpenAI never sees it.
 */
class CacheControlTranslationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Catalog CATALOG = CatalogLoader.load(Optional.empty());

    private static final String REQUEST = """
            {"model": "claude-sonnet-4-5", "messages": [
              {"role": "system", "content": [
                {"type": "text", "text": "Rules.", "cache_control": {"type": "ephemeral", "ttl": "1h"}},
                {"type": "text", "text": "Today's news."}]},
              {"role": "system", "content": "More rules.", "cache_control": {"type": "ephemeral"}},
              {"role": "user", "content": [
                {"type": "text", "text": "A long document.", "cache_control": {"type": "ephemeral", "ttl": "5m"}},
                {"type": "text", "text": "Summarise it."}]}],
             "tools": [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}},
                        "cache_control": {"type": "ephemeral"}}]}""";

    @Test
    void everyBreakpointLandsOnTheBlockMadeFromWhatItMarks() throws Exception {
        JsonNode sent = claude(REQUEST);
        JsonNode system = sent.get("system");
        assertEquals(3, system.size());
        assertEquals(
                JSON.readTree("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}"),
                system.get(0).get("cache_control"));
        assertFalse(system.get(1).has("cache_control"));
        // A message's own breakpoint sits on its last block.
        assertEquals(JSON.readTree("{\"type\":\"ephemeral\"}"), system.get(2).get("cache_control"));
        JsonNode user = sent.get("messages").get(0).get("content");
        assertEquals("5m", user.get(0).get("cache_control").get("ttl").asText());
        assertFalse(user.get(1).has("cache_control"));
        assertEquals(
                "ephemeral",
                sent.get("tools").get(0).get("cache_control").get("type").asText());
    }

    @Test
    void aMalformedBreakpointIsA400NamingIt() {
        String badTtl = REQUEST.replace("\"ttl\": \"1h\"", "\"ttl\": \"2h\"");
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> claude(badTtl));
        assertEquals("messages[0].content[0].cache_control.ttl", e.error().param());
        String badType = REQUEST.replace("\"ttl\": \"5m\"", "\"ttl\": \"5m\", \"type\": \"persistent\"");
        assertThrows(InvalidRequestException.class, () -> claude(badType));
    }

    @Test
    void openAiGetsNoBreakpoints() throws Exception {
        ChatRequest request =
                ChatRequest.of((ObjectNode) JSON.readTree(REQUEST.replace("claude-sonnet-4-5", "gpt-4o")));
        CatalogModel model = CATALOG.byId("gpt-4o").orElseThrow();
        OpenAiAdapter openAi = new OpenAiAdapter(JSON);
        String sent = new String(openAi.toNativeRequest(request, model, "key").body(), StandardCharsets.UTF_8);
        assertFalse(sent.contains("cache_control"), sent);
        assertTrue(openAi.ignoredFields().contains("cache_control"));
    }

    private static JsonNode claude(String body) throws Exception {
        ChatRequest request = ChatRequest.of((ObjectNode) JSON.readTree(body));
        CatalogModel model = CATALOG.byId("claude-sonnet-4-5").orElseThrow();
        return JSON.readTree(new AnthropicAdapter(JSON, Clock.systemUTC())
                .toNativeRequest(request, model, "key")
                .body());
    }
}
