package io.tokenhub.routing.providers.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.wire.ProviderWire;
import io.tokenhub.routing.openai.EmbeddingRequest;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.spi.EmbeddingsAdapter;
import io.tokenhub.routing.spi.NativeRequest;
import io.tokenhub.routing.spi.TranslatedResponse;
import io.tokenhub.routing.spi.Usage;
import io.tokenhub.routing.translate.EmbeddingsResponses;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Mistral's embeddings (https://docs.mistral.ai/api/#tag/embeddings), {@code POST /v1/embeddings}: texts only,
 * {@code dimensions} as {@code output_dimension}. Vectors are always asked for as floats and encoded for the client
 * here, so base64 looks the same from every provider; {@code user}, which Mistral's strict schema lacks, is dropped.
 */
@ApplicationScoped
public class MistralEmbeddingsAdapter implements EmbeddingsAdapter {

    private static final ProviderWire WIRE = ProviderWire.of(Provider.MISTRAL);

    private final ObjectMapper json;

    public MistralEmbeddingsAdapter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public NativeRequest toNativeRequest(EmbeddingRequest request, CatalogModel model, String apiKey) {
        ObjectNode body = json.createObjectNode().put("model", model.providerModel());
        ArrayNode input = body.putArray("input");
        request.requireTexts("mistral").forEach(input::add);
        if (request.dimensions() != null) {
            body.put("output_dimension", request.dimensions());
        }
        try {
            return new NativeRequest(WIRE.embeddingsPath(), WIRE.jsonHeaders(apiKey), json.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public TranslatedResponse toOpenAiResponse(EmbeddingRequest request, CatalogModel model, byte[] nativeBody) {
        JsonNode response;
        try {
            response = json.readTree(nativeBody);
        } catch (IOException e) {
            throw new UncheckedIOException("provider answered with invalid JSON", e);
        }
        List<JsonNode> items = new ArrayList<>();
        response.path("data").forEach(items::add);
        items.sort(Comparator.comparingInt(item -> item.path("index").asInt()));
        List<JsonNode> vectors =
                items.stream().map(item -> item.path("embedding")).toList();
        long tokens = response.path("usage").path("prompt_tokens").asLong(0);
        try {
            return new TranslatedResponse(
                    json.writeValueAsBytes(EmbeddingsResponses.list(
                            vectors, response.path("model").asText(model.providerModel()), tokens, request.base64())),
                    new Usage(tokens, 0, 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public OpenAiError toOpenAiError(int status, MultiMap headers, byte[] nativeBody) {
        return MistralErrors.toOpenAiError(json, status, headers, nativeBody);
    }
}
