package io.tokenhub.routing.providers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.events.UsageSource;
import io.tokenhub.routing.openai.EmbeddingRequest;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.providers.google.GoogleEmbeddingsAdapter;
import io.tokenhub.routing.providers.mistral.MistralEmbeddingsAdapter;
import io.tokenhub.routing.providers.openai.OpenAiEmbeddingsAdapter;
import io.tokenhub.routing.spi.EmbeddingsAdapter;
import io.tokenhub.routing.spi.NativeRequest;
import io.tokenhub.routing.spi.TranslatedResponse;
import io.tokenhub.routing.spi.UnsupportedProviderException;
import io.tokenhub.routing.spi.Usage;
import io.vertx.core.MultiMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The embeddings translations: request out, vectors and billed tokens back, errors, and what is refused. */
class EmbeddingsAdaptersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Catalog CATALOG = CatalogLoader.load(Optional.empty());
    private static final EmbeddingsAdapters ADAPTERS = new EmbeddingsAdapters(
            new OpenAiEmbeddingsAdapter(JSON), new GoogleEmbeddingsAdapter(JSON), new MistralEmbeddingsAdapter(JSON));

    @Test
    void googleBatchesOneRequestPerInputAndEstimatesTheTokensItDoesNotReport() throws Exception {
        EmbeddingRequest request = parse("""
                {"model": "google/gemini-embedding-001", "input": ["Hello", "TokenHub!"], "dimensions": 3,
                 "encoding_format": "base64", "user": "u1"}""");
        CatalogModel model = model(request);
        EmbeddingsAdapter adapter = ADAPTERS.forProvider(model.provider());
        NativeRequest out = adapter.toNativeRequest(request, model, "k");
        assertEquals("/v1beta/models/gemini-embedding-001:batchEmbedContents", out.path());
        assertEquals("k", out.headers().get("x-goog-api-key"));
        assertEquals(JSON.readTree("""
                {"requests": [
                  {"model": "models/gemini-embedding-001", "content": {"parts": [{"text": "Hello"}]}, "outputDimensionality": 3},
                  {"model": "models/gemini-embedding-001", "content": {"parts": [{"text": "TokenHub!"}]}, "outputDimensionality": 3}]}"""), JSON.readTree(out.body()));
        TranslatedResponse translated = adapter.toOpenAiResponse(request, model, bytes("""
                {"embeddings": [{"values": [0.5, -1.0, 0.25]}, {"values": [1.0, 0.0, -0.5]}]}"""));
        JsonNode body = JSON.readTree(translated.body());
        assertEquals("list", body.path("object").asText());
        assertEquals(1, body.path("data").get(1).path("index").asInt());
        assertArrayEquals(
                new float[] {0.5f, -1.0f, 0.25f},
                floats(body.path("data").get(0).path("embedding")),
                "base64 is little-endian float32, as the OpenAI SDKs decode it");
        // "Hello" is 2 tokens at 4 characters per token, "TokenHub!" 3.
        assertEquals(new Usage(5, 0, 0), translated.usage());
        assertEquals(UsageSource.ESTIMATED, adapter.usageSource(), "the ledger line says it is an estimate");
        assertEquals(5, body.path("usage").path("prompt_tokens").asInt());
    }

    @Test
    void mistralGetsOnlyItsSchemasFieldsAndItsVectorsComeBackInInputOrder() throws Exception {
        EmbeddingRequest request = parse("""
                {"model": "mistral-embed", "input": "one", "user": "u1"}""");
        CatalogModel model = model(request);
        EmbeddingsAdapter adapter = ADAPTERS.forProvider(model.provider());
        NativeRequest out = adapter.toNativeRequest(request, model, "k");
        assertEquals("/v1/embeddings", out.path());
        assertEquals(JSON.readTree("{\"model\": \"mistral-embed\", \"input\": [\"one\"]}"), JSON.readTree(out.body()));
        TranslatedResponse translated = adapter.toOpenAiResponse(request, model, bytes("""
                {"id": "e1", "object": "list", "model": "mistral-embed",
                 "data": [{"object": "embedding", "embedding": [0.2, 0.4], "index": 1},
                          {"object": "embedding", "embedding": [0.1, 0.3], "index": 0}],
                 "usage": {"prompt_tokens": 7, "total_tokens": 7, "completion_tokens": 0}}"""));
        JsonNode body = JSON.readTree(translated.body());
        assertEquals(0.1, body.path("data").get(0).path("embedding").get(0).asDouble(), 1e-9);
        assertEquals(new Usage(7, 0, 0), translated.usage());
        assertEquals(UsageSource.REPORTED, adapter.usageSource());
    }

    @Test
    void openAiPassesThroughWithItsOwnModelId() throws Exception {
        EmbeddingRequest request = parse("{\"model\": \"openai/text-embedding-3-small\", \"input\": [[1, 2, 3]]}");
        CatalogModel model = model(request);
        EmbeddingsAdapter adapter = ADAPTERS.forProvider(model.provider());
        assertEquals(
                "text-embedding-3-small",
                JSON.readTree(adapter.toNativeRequest(request, model, "k").body())
                        .path("model")
                        .asText());
        assertEquals(
                new Usage(3, 0, 0),
                adapter.toOpenAiResponse(request, model, bytes("""
                {"object": "list", "data": [], "model": "text-embedding-3-small",
                 "usage": {"prompt_tokens": 3, "total_tokens": 3}}""")).usage());
    }

    @Test
    void whatAProviderCannotEmbedIsRefusedBeforeAnyCall() throws Exception {
        EmbeddingRequest tokens = parse("{\"model\": \"mistral-embed\", \"input\": [[1, 2, 3]]}");
        InvalidRequestException refused = assertThrows(
                InvalidRequestException.class,
                () -> ADAPTERS.forProvider(Provider.MISTRAL).toNativeRequest(tokens, model(tokens), "k"));
        assertEquals("input", refused.error().param());
        StringBuilder many = new StringBuilder("{\"model\": \"gemini-embedding-001\", \"input\": [");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        EmbeddingRequest tooMany = parse(many.append("]}").toString());
        assertThrows(
                InvalidRequestException.class,
                () -> ADAPTERS.forProvider(Provider.GOOGLE).toNativeRequest(tooMany, model(tooMany), "k"));
        assertThrows(InvalidRequestException.class, () -> parse("{\"model\": \"m\", \"input\": \"\"}"));
        assertThrows(
                InvalidRequestException.class,
                () -> parse("{\"model\": \"m\", \"input\": \"x\", \"encoding_format\": \"int8\"}"));
        assertThrows(UnsupportedProviderException.class, () -> ADAPTERS.forProvider(Provider.ANTHROPIC));
    }

    @Test
    void providerErrorsBecomeOpenAiErrors() {
        OpenAiError quota = ADAPTERS.forProvider(Provider.GOOGLE)
                .toOpenAiError(429, MultiMap.caseInsensitiveMultiMap(), bytes("""
                        {"error": {"code": 429, "message": "Quota", "status": "RESOURCE_EXHAUSTED",
                         "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "2s"}]}}"""));
        assertEquals(429, quota.status());
        assertEquals(2L, quota.retryAfterSeconds());
        OpenAiError invalid = ADAPTERS.forProvider(Provider.MISTRAL)
                .toOpenAiError(422, MultiMap.caseInsensitiveMultiMap(), bytes("""
                        {"detail": [{"type": "extra_forbidden", "loc": ["body", "encoding_format"],
                         "msg": "Extra inputs are not permitted"}]}"""));
        assertEquals(400, invalid.status());
        assertEquals("encoding_format", invalid.param());
    }

    private static EmbeddingRequest parse(String json) {
        return EmbeddingRequest.parse(JSON, bytes(json));
    }

    private static CatalogModel model(EmbeddingRequest request) {
        return CATALOG.resolve(request.model()).orElseThrow().model();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static float[] floats(JsonNode base64) {
        ByteBuffer buffer =
                ByteBuffer.wrap(Base64.getDecoder().decode(base64.asText())).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[buffer.remaining() / Float.BYTES];
        for (int i = 0; i < out.length; i++) {
            out[i] = buffer.getFloat();
        }
        return out;
    }
}
