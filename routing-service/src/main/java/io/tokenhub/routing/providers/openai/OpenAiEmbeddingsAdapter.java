package io.tokenhub.routing.providers.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * OpenAI's embeddings (https://platform.openai.com/docs/api-reference/embeddings), {@code POST /embeddings}: the
 * request goes out as sent but for the provider model id, and the answer comes back as it is.
 */
@ApplicationScoped
public class OpenAiEmbeddingsAdapter implements EmbeddingsAdapter {

    private static final ProviderWire WIRE = ProviderWire.of(Provider.OPENAI);

    private final ObjectMapper json;

    public OpenAiEmbeddingsAdapter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public NativeRequest toNativeRequest(EmbeddingRequest request, CatalogModel model, String apiKey) {
        ObjectNode body = request.body().deepCopy();
        body.put("model", model.providerModel());
        try {
            return new NativeRequest(WIRE.embeddingsPath(), WIRE.jsonHeaders(apiKey), json.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public TranslatedResponse toOpenAiResponse(EmbeddingRequest request, CatalogModel model, byte[] nativeBody) {
        try {
            long tokens = json.readTree(nativeBody)
                    .path("usage")
                    .path("prompt_tokens")
                    .asLong(0);
            return new TranslatedResponse(nativeBody, new Usage(tokens, 0, 0));
        } catch (IOException e) {
            throw new UncheckedIOException("provider answered with invalid JSON", e);
        }
    }

    @Override
    public OpenAiError toOpenAiError(int status, MultiMap headers, byte[] nativeBody) {
        return OpenAiErrors.toOpenAiError(json, status, headers, nativeBody);
    }
}
