package io.tokenhub.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenhub.common.catalog.Provider;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderWireTest {

    @Test
    void everyProviderHasItsWireFacts() {
        for (Provider provider : Provider.values()) {
            ProviderWire wire = ProviderWire.of(provider);
            assertNotNull(wire, provider + " has no wire facts");
            assertEquals(provider, wire.provider());
            String path = URI.create(wire.productionBaseUrl()).getPath();
            assertEquals(path, wire.basePath(), provider + ": base path must be the production base URL's path");
            assertTrue(wire.chatPath().startsWith("/") && wire.modelsPath().startsWith("/"), provider.wireName());
        }
    }

    @Test
    void onlyOpenAiHasAResponsesApiAndTheSdkAppendsResponsesToTheBaseUrl() {
        // openai-node src/resources/responses/responses.ts: this._client.post('/responses', ...) under .../v1.
        assertEquals("/responses", ProviderWire.of(Provider.OPENAI).responsesPath());
        for (Provider provider : Provider.values()) {
            if (provider != Provider.OPENAI) {
                assertNull(ProviderWire.of(provider).responsesPath(), provider.wireName());
            }
        }
    }

    @Test
    void authenticationFollowsEachProvidersReference() {
        assertEquals(
                Map.of("authorization", "Bearer k"),
                ProviderWire.of(Provider.OPENAI).authHeaders("k"));
        assertEquals(
                Map.of("x-api-key", "k", "anthropic-version", "2023-06-01"),
                ProviderWire.of(Provider.ANTHROPIC).authHeaders("k"));
        assertEquals(
                Map.of("x-goog-api-key", "k"), ProviderWire.of(Provider.GOOGLE).authHeaders("k"));
        assertEquals(
                Map.of("authorization", "Bearer k", "content-type", "application/json"),
                ProviderWire.of(Provider.MISTRAL).jsonHeaders("k"));
    }

    @Test
    void eachAuthNamesTheHeaderThatCarriesTheKey() {
        assertEquals("authorization", ProviderWire.Auth.BEARER.header());
        assertEquals("x-api-key", ProviderWire.Auth.ANTHROPIC.header());
        assertEquals("x-goog-api-key", ProviderWire.Auth.GOOGLE.header());
        for (Provider provider : Provider.values()) {
            ProviderWire wire = ProviderWire.of(provider);
            assertTrue(
                    wire.authHeaders("k").containsKey(wire.auth().header()),
                    provider + ": the key travels in " + wire.auth().header());
        }
        assertEquals(
                ProviderWire.ANTHROPIC_VERSION,
                ProviderWire.of(Provider.ANTHROPIC).authHeaders("k").get(ProviderWire.ANTHROPIC_VERSION_HEADER));
    }

    @Test
    void tokensAreEstimatedAtFourCharactersRoundedUp() {
        assertEquals(0, TokenEstimate.fromChars(0));
        assertEquals(1, TokenEstimate.fromChars(1));
        assertEquals(1, TokenEstimate.fromChars(4));
        assertEquals(2, TokenEstimate.fromChars(5));
    }
}
