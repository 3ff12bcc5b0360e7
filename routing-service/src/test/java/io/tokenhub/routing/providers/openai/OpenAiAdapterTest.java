package io.tokenhub.routing.providers.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.routing.openai.ChatRequest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenAiAdapterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CatalogModel MODEL =
            CatalogLoader.load(Optional.empty()).byId("gpt-4o-mini").orElseThrow();

    /** Stored completions would keep the customer's prompts in TokenHub's OpenAI account. */
    @Test
    void storeAndItsMetadataNeverReachOpenAi() throws Exception {
        ChatRequest request = ChatRequest.parse(JSON, """
                {"model": "gpt-4o-mini", "store": true, "metadata": {"team": "a"}, "service_tier": "default",
                 "messages": [{"role": "user", "content": "Hi"}]}""".getBytes(StandardCharsets.UTF_8));
        JsonNode sent = JSON.readTree(
                new OpenAiAdapter(JSON).toNativeRequest(request, MODEL, "k").body());
        assertFalse(sent.has("store"), sent.toString());
        assertFalse(sent.has("metadata"), sent.toString());
        assertEquals("default", sent.path("service_tier").asText(), "a tier priced like the catalog passes");
        assertEquals("Hi", sent.path("messages").get(0).path("content").asText());
    }
}
