package io.tokenhub.routing.provider;

import io.tokenhub.common.catalog.Provider;
import io.tokenhub.routing.provider.openai.OpenAiAdapter;
import jakarta.enterprise.context.ApplicationScoped;

/** Picks the adapter for a provider. The switch is exhaustive: a new provider does not compile until it has one. */
@ApplicationScoped
public class ProviderAdapters {

    private final OpenAiAdapter openAi;

    public ProviderAdapters(OpenAiAdapter openAi) {
        this.openAi = openAi;
    }

    public ProviderAdapter forProvider(Provider provider) {
        return switch (provider) {
            case OPENAI -> openAi;
            case ANTHROPIC, GOOGLE, MISTRAL, META -> throw new UnsupportedProviderException(provider);
        };
    }
}
