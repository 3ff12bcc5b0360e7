package io.tokenhub.routing.provider;

import io.tokenhub.common.catalog.Provider;

/** A catalog entry names a provider this build has no adapter for; the catalog loader refuses such entries. */
public class UnsupportedProviderException extends IllegalStateException {

    public UnsupportedProviderException(Provider provider) {
        super("no adapter for provider " + provider.wireName());
    }
}
