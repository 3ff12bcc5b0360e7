package io.tokenhub.routing.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.providers.anthropic.AnthropicAdapter;
import io.tokenhub.routing.providers.google.GoogleAdapter;
import io.tokenhub.routing.providers.meta.MetaAdapter;
import io.tokenhub.routing.providers.mistral.MistralAdapter;
import io.tokenhub.routing.providers.openai.OpenAiAdapter;
import io.tokenhub.routing.spi.ProviderAdapter;
import io.tokenhub.routing.stream.SseTranslation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Each provider's {@code fixtures/<provider>/stream-request.json} and {@code stream-native.sse} (the fixtures
 * {@code TranslationFixtureTest} checks chunk by chunk), for the relay's billing tests.
 */
final class StreamFixtures {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Catalog CATALOG = CatalogLoader.load(Optional.empty());

    private StreamFixtures() {}

    /** The provider's fixture request, streamed, with or without the usage chunk. */
    static ChatRequest request(Provider provider, boolean includeUsage) {
        ChatRequest base = ChatRequest.parse(JSON, fixture(provider, "stream-request.json"));
        return new ChatRequest(base.body(), base.model(), true, includeUsage, base.routing(), base.source());
    }

    /** A fresh translation of {@code request} as the provider's adapter streams it. */
    static SseTranslation translation(Provider provider, ChatRequest request) {
        return new SseTranslation(adapter(provider)
                .newStreamTranslator(
                        request, CATALOG.resolve(request.model()).orElseThrow().model()));
    }

    static byte[] fixture(Provider provider, String file) {
        String path = "/fixtures/" + provider.wireName() + "/" + file;
        try (InputStream in = StreamFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProviderAdapter adapter(Provider provider) {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1741569952), ZoneOffset.UTC);
        return switch (provider) {
            case OPENAI -> new OpenAiAdapter(JSON);
            case ANTHROPIC -> new AnthropicAdapter(JSON, clock);
            case GOOGLE -> new GoogleAdapter(JSON, clock);
            case MISTRAL -> new MistralAdapter(JSON, clock);
            case META -> new MetaAdapter(JSON, clock);
        };
    }
}
