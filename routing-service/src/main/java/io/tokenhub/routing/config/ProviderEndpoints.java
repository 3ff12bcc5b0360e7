package io.tokenhub.routing.config;

import io.tokenhub.common.catalog.Provider;
import io.tokenhub.routing.config.RoutingConfig.ProviderConfig;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every provider endpoint the configuration names, with its region: the one at a provider's {@code base-url} first,
 * then its further {@code endpoints} in configuration order. Read once, so the client that calls them and the
 * settings that restrict accounts to a region agree on what exists.
 */
@Singleton
public class ProviderEndpoints {

    /** Region codes as operators write them: lower case, so an account's restriction matches one spelling. */
    private static final Pattern REGION = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    private final List<EndpointConfig> all;

    public ProviderEndpoints(RoutingConfig config) {
        List<EndpointConfig> endpoints = new ArrayList<>();
        config.providers().forEach((name, provider) -> {
            Provider p = Provider.find(name)
                    .orElseThrow(() -> new IllegalArgumentException("tokenhub.providers." + name
                            + ": unknown provider; expected one of openai, anthropic, google, mistral, meta"));
            String key = "tokenhub.providers." + name;
            provider.baseUrl()
                    .filter(url -> !url.isBlank())
                    .ifPresent(url -> endpoints.add(new EndpointConfig(
                            p, key, null, url, region(key, provider.region()), provider.apiKey(), provider)));
            provider.endpoints().forEach((id, extra) -> {
                String extraKey = key + ".endpoints." + id;
                endpoints.add(new EndpointConfig(
                        p,
                        extraKey,
                        id,
                        extra.baseUrl(),
                        region(extraKey, extra.region()),
                        extra.apiKey().or(provider::apiKey),
                        provider));
            });
        });
        // Provider order, each provider's endpoints in configuration order: the first is its default.
        endpoints.sort((a, b) -> a.provider().compareTo(b.provider()));
        this.all = List.copyOf(endpoints);
    }

    /** Every endpoint, by provider, each provider's default first. */
    public List<EndpointConfig> all() {
        return all;
    }

    /** The regions with at least one endpoint, sorted. */
    public List<String> regions() {
        return all.stream().map(EndpointConfig::region).distinct().sorted().toList();
    }

    private static String region(String key, String region) {
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException(
                    key + ".region must be a lower-case region code such as us or eu, not '" + region + "'");
        }
        return region;
    }

    /**
     * One configured endpoint.
     *
     * @param provider whose it is
     * @param key its configuration key, for messages
     * @param name its name under the provider's {@code endpoints}; null for the one at the provider's {@code base-url}
     * @param baseUrl its base URL as the provider's official SDK defines it
     * @param region where it processes requests
     * @param apiKey TokenHub's key there
     * @param settings the provider's timeouts, pools and breaker settings, which every endpoint of it shares
     */
    public record EndpointConfig(
            Provider provider,
            String key,
            String name,
            String baseUrl,
            String region,
            Optional<String> apiKey,
            ProviderConfig settings) {

        /** The provider's wire name, and the endpoint's name for one of its {@code endpoints}. */
        public String label() {
            return name == null ? provider.wireName() : provider.wireName() + " " + name;
        }
    }
}
