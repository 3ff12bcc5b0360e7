package io.tokenhub.routing.spi;

import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.events.UsageSource;
import io.tokenhub.routing.openai.EmbeddingRequest;
import io.tokenhub.routing.openai.OpenAiError;
import io.vertx.core.MultiMap;

/** One provider's embeddings API, in the same seams as chat: request out, answer back, error back. */
public interface EmbeddingsAdapter {

    /** The OpenAI embeddings request as this provider's native request. */
    NativeRequest toNativeRequest(EmbeddingRequest request, CatalogModel model, String apiKey);

    /** A successful native answer as OpenAI's {@code list} of {@code embedding}s, with the input tokens billed. */
    TranslatedResponse toOpenAiResponse(EmbeddingRequest request, CatalogModel model, byte[] nativeBody);

    /**
     * Whether the input tokens {@link #toOpenAiResponse} bills are the provider's own count, or TokenHub's estimate
     * for a provider that reports none.
     */
    default UsageSource usageSource() {
        return UsageSource.REPORTED;
    }

    /** A native error response as the OpenAI error an OpenAI client expects. */
    OpenAiError toOpenAiError(int status, MultiMap headers, byte[] nativeBody);
}
