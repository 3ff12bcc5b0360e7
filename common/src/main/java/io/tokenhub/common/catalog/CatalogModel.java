package io.tokenhub.common.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One model TokenHub sells.
 *
 * @param id the name clients send (also valid as {@code provider/id})
 * @param provider who serves it
 * @param providerModel the id the provider's own API expects
 * @param contextWindow maximum prompt plus completion tokens
 * @param capabilities what it can do
 * @param prices every published rate, any order; the one in force at an instant is chosen by {@link #priceAt}
 * @param lifecycle when the provider deprecates and retires it; active when absent
 * @param upstreamApi which of the provider's APIs serves it; {@code chat} when absent
 */
public record CatalogModel(
        @JsonProperty("id") String id,
        @JsonProperty("provider") Provider provider,
        @JsonProperty("provider-model") String providerModel,
        @JsonProperty("context-window") long contextWindow,
        @JsonProperty("capabilities") Set<Capability> capabilities,
        @JsonProperty("prices") List<Price> prices,
        @JsonProperty("lifecycle") Lifecycle lifecycle,
        @JsonProperty("upstream-api") UpstreamApi upstreamApi) {

    public CatalogModel {
        if (id == null || id.isBlank() || id.contains("/")) {
            throw new IllegalArgumentException("model id must be a plain name: " + id);
        }
        if (provider == null || providerModel == null || providerModel.isBlank()) {
            throw new IllegalArgumentException("model " + id + " needs a provider and a provider-model");
        }
        lifecycle = lifecycle == null ? Lifecycle.ACTIVE : lifecycle;
        upstreamApi = upstreamApi == null ? UpstreamApi.CHAT : upstreamApi;
        if (upstreamApi == UpstreamApi.RESPONSES && provider != Provider.OPENAI) {
            // Only OpenAI has a Responses API TokenHub calls; anything else would fail on the first request.
            throw new IllegalArgumentException("model " + id + ": upstream-api responses is OpenAI's only");
        }
        if (id.equals(lifecycle.successor())) {
            throw new IllegalArgumentException("model " + id + " cannot be its own successor");
        }
        capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
        prices = prices == null
                ? List.of()
                : prices.stream()
                        .sorted(Comparator.comparing(Price::effectiveFrom))
                        .toList();
    }

    /** The rate in force at {@code at}: the latest entry that took effect at or before it. */
    public Optional<Price> priceAt(Instant at) {
        Price found = null;
        for (Price p : prices) {
            if (!p.effectiveFrom().isAfter(at)) {
                found = p;
            }
        }
        return Optional.ofNullable(found);
    }

    public Lifecycle.Stage stageAt(Instant at) {
        return lifecycle.stageAt(at);
    }

    public boolean retiredAt(Instant at) {
        return stageAt(at) == Lifecycle.Stage.RETIRED;
    }

    public boolean can(Capability capability) {
        return capabilities.contains(capability);
    }
}
