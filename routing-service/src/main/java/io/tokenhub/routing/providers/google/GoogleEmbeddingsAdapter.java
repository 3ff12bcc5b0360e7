package io.tokenhub.routing.providers.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.events.UsageSource;
import io.tokenhub.common.wire.ProviderWire;
import io.tokenhub.routing.openai.EmbeddingRequest;
import io.tokenhub.routing.openai.InvalidRequestException;
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
import java.util.List;

/**
 * Gemini's embeddings (https://ai.google.dev/api/embeddings#method:-models.batchembedcontents),
 * {@code POST /v1beta/models/{model}:batchEmbedContents}: one request per input, at most {@value #MAX_BATCH} per call,
 * {@code dimensions} as {@code outputDimensionality}. Google reports no token counts for embeddings, so the tokens
 * billed are an estimate: one per started group of four characters of each input, Google's own rule of thumb
 * (https://ai.google.dev/gemini-api/docs/tokens).
 */
@ApplicationScoped
public class GoogleEmbeddingsAdapter implements EmbeddingsAdapter {

    private static final ProviderWire WIRE = ProviderWire.of(Provider.GOOGLE);

    /** Google's limit on requests in one batchEmbedContents call. */
    static final int MAX_BATCH = 100;

    private static final int CHARACTERS_PER_TOKEN = 4;

    private final ObjectMapper json;

    public GoogleEmbeddingsAdapter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public NativeRequest toNativeRequest(EmbeddingRequest request, CatalogModel model, String apiKey) {
        List<String> texts = request.requireTexts("google");
        if (texts.size() > MAX_BATCH) {
            throw new InvalidRequestException(OpenAiError.invalidRequest(
                    "google embeds at most " + MAX_BATCH + " inputs per request; split the input.", "input"));
        }
        ObjectNode body = json.createObjectNode();
        ArrayNode requests = body.putArray("requests");
        for (String text : texts) {
            ObjectNode one = requests.addObject().put("model", "models/" + model.providerModel());
            one.putObject("content").putArray("parts").addObject().put("text", text);
            if (request.dimensions() != null) {
                one.put("outputDimensionality", request.dimensions());
            }
        }
        try {
            return new NativeRequest(
                    WIRE.embeddingsPathFor(model.providerModel()),
                    WIRE.jsonHeaders(apiKey),
                    json.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Google reports no token counts for embeddings: they are estimated from the inputs' length. */
    @Override
    public UsageSource usageSource() {
        return UsageSource.ESTIMATED;
    }

    @Override
    public TranslatedResponse toOpenAiResponse(EmbeddingRequest request, CatalogModel model, byte[] nativeBody) {
        JsonNode response;
        try {
            response = json.readTree(nativeBody);
        } catch (IOException e) {
            throw new UncheckedIOException("provider answered with invalid JSON", e);
        }
        List<JsonNode> vectors = new ArrayList<>();
        response.path("embeddings").forEach(e -> vectors.add(e.path("values")));
        if (vectors.size() != request.texts().size()) {
            throw new IllegalStateException("google returned " + vectors.size() + " embeddings for "
                    + request.texts().size() + " inputs");
        }
        long tokens = request.texts().stream()
                .mapToLong(t -> (t.length() + CHARACTERS_PER_TOKEN - 1) / CHARACTERS_PER_TOKEN)
                .sum();
        try {
            return new TranslatedResponse(
                    json.writeValueAsBytes(
                            EmbeddingsResponses.list(vectors, model.providerModel(), tokens, request.base64())),
                    new Usage(tokens, 0, 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public OpenAiError toOpenAiError(int status, MultiMap headers, byte[] nativeBody) {
        return GoogleErrors.toOpenAiError(json, status, headers, nativeBody);
    }
}
