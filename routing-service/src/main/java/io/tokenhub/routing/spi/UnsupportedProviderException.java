package io.tokenhub.routing.spi;

import io.tokenhub.common.catalog.Provider;

/** The catalog sells a model for an API its provider does not have (embeddings from anthropic); start is refused. */
public class UnsupportedProviderException extends IllegalStateException {

    public UnsupportedProviderException(Provider provider, String api) {
        super("provider " + provider.wireName() + " has no " + api + " API TokenHub can call");
    }
}
