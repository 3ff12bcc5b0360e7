package io.tokenhub.routing.spi;

import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.OpenAiError;
import io.vertx.core.MultiMap;
import java.util.Set;

/**
 * One provider's translation, in the four seams every adapter has: request out, response back, stream back, error
 * back. Adapters are stateless; per-stream state lives in the {@link StreamTranslator} they create.
 */
public interface ProviderAdapter {

    /** Seam 1: the OpenAI request as this provider's native request. */
    NativeRequest toNativeRequest(ChatRequest request, CatalogModel model, String apiKey);

    /** Seam 2: a successful native response body as an OpenAI {@code chat.completion}. */
    TranslatedResponse toOpenAiResponse(ChatRequest request, CatalogModel model, byte[] nativeBody);

    /** Seam 3: a translator for one native stream. */
    StreamTranslator newStreamTranslator(ChatRequest request, CatalogModel model);

    /** Seam 4: a native error response as the OpenAI error an OpenAI client expects. */
    OpenAiError toOpenAiError(int status, MultiMap headers, byte[] nativeBody);

    /**
     * Chat Completions fields this provider takes from a client without passing them on (no native equivalent, or
     * withheld on purpose); a request that sets one is told in {@code X-TokenHub-Ignored-Params} instead of silently.
     */
    Set<String> ignoredFields();
}
