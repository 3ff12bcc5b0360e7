package io.tokenhub.routing.providers;

import io.tokenhub.common.catalog.Provider;
import io.tokenhub.routing.providers.google.GoogleEmbeddingsAdapter;
import io.tokenhub.routing.providers.mistral.MistralEmbeddingsAdapter;
import io.tokenhub.routing.providers.openai.OpenAiEmbeddingsAdapter;
import io.tokenhub.routing.spi.EmbeddingsAdapter;
import io.tokenhub.routing.spi.UnsupportedProviderException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Picks the embeddings adapter for a provider. Exhaustive like chat's: Anthropic and Meta's Llama API have no
 * embeddings endpoint, so a catalog selling embeddings from them is refused at start.
 */
@ApplicationScoped
public class EmbeddingsAdapters {

    private final OpenAiEmbeddingsAdapter openAi;
    private final GoogleEmbeddingsAdapter google;
    private final MistralEmbeddingsAdapter mistral;

    public EmbeddingsAdapters(
            OpenAiEmbeddingsAdapter openAi, GoogleEmbeddingsAdapter google, MistralEmbeddingsAdapter mistral) {
        this.openAi = openAi;
        this.google = google;
        this.mistral = mistral;
    }

    public EmbeddingsAdapter forProvider(Provider provider) {
        return switch (provider) {
            case OPENAI -> openAi;
            case GOOGLE -> google;
            case MISTRAL -> mistral;
            case ANTHROPIC, META -> throw new UnsupportedProviderException(provider, "embeddings");
        };
    }
}
