package io.tokenhub.health.probe;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * A provider's list-models call, the cheapest authenticated request each API has: it costs no tokens, and it fails
 * the way real calls fail when the provider is down or our key is refused. {@link ProviderProbeClient} builds one per
 * provider with its base URL plus common's {@code ProviderWire.modelsPath()} as the URI and the provider's
 * authentication headers, so nothing here differs by provider.
 */
@RegisterRestClient
interface ProviderModelsApi {

    @GET
    Uni<Response> list();
}
