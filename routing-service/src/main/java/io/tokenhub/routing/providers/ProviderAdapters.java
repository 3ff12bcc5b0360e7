package io.tokenhub.routing.providers;

import io.tokenhub.common.catalog.Provider;
import io.tokenhub.routing.providers.anthropic.AnthropicAdapter;
import io.tokenhub.routing.providers.google.GoogleAdapter;
import io.tokenhub.routing.providers.meta.MetaAdapter;
import io.tokenhub.routing.providers.mistral.MistralAdapter;
import io.tokenhub.routing.providers.openai.OpenAiAdapter;
import io.tokenhub.routing.spi.ProviderAdapter;
import jakarta.enterprise.context.ApplicationScoped;

/** Picks the adapter for a provider. The switch is exhaustive: a new provider does not compile until it has one. */
@ApplicationScoped
public class ProviderAdapters {

    private final OpenAiAdapter openAi;
    private final AnthropicAdapter anthropic;
    private final GoogleAdapter google;
    private final MistralAdapter mistral;
    private final MetaAdapter meta;

    public ProviderAdapters(
            OpenAiAdapter openAi,
            AnthropicAdapter anthropic,
            GoogleAdapter google,
            MistralAdapter mistral,
            MetaAdapter meta) {
        this.openAi = openAi;
        this.anthropic = anthropic;
        this.google = google;
        this.mistral = mistral;
        this.meta = meta;
    }

    public ProviderAdapter forProvider(Provider provider) {
        return switch (provider) {
            case OPENAI -> openAi;
            case ANTHROPIC -> anthropic;
            case GOOGLE -> google;
            case MISTRAL -> mistral;
            case META -> meta;
        };
    }
}
