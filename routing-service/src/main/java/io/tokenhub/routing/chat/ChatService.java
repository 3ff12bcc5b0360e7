package io.tokenhub.routing.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.ModelRef;
import io.tokenhub.common.events.AvailabilityStatus;
import io.tokenhub.routing.availability.AvailabilityService;
import io.tokenhub.routing.errors.OpenAiError;
import io.tokenhub.routing.provider.ProviderAdapters;
import io.tokenhub.routing.provider.ProviderClient;
import io.tokenhub.routing.provider.ProviderClient.Endpoint;
import io.tokenhub.routing.usage.UsagePublisher;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Answers one Chat Completions request: resolves the model, calls its provider through the adapter, relays the answer
 * (whole or streamed) and publishes one usage event when the request is over.
 */
@ApplicationScoped
public class ChatService {

    private final ObjectMapper json;
    private final Catalog catalog;
    private final ProviderAdapters adapters;
    private final ProviderClient providers;
    private final AvailabilityService availability;
    private final UsagePublisher publisher;

    public ChatService(ObjectMapper json, Catalog catalog, ProviderAdapters adapters, ProviderClient providers,
            AvailabilityService availability, UsagePublisher publisher) {
        this.json = json;
        this.catalog = catalog;
        this.adapters = adapters;
        this.providers = providers;
        this.availability = availability;
        this.publisher = publisher;
    }

    public void complete(InboundRequest in, byte[] body, HttpServerResponse response) {
        ChatRequest request;
        try {
            request = ChatRequest.parse(json, body);
        } catch (InvalidRequestException e) {
            Responder.error(response, e.error(), null, false);
            return;
        }
        Optional<ModelRef> ref = catalog.resolve(request.model());
        if (ref.isEmpty()) {
            Responder.error(response, OpenAiError.modelNotFound(request.model()), null, false);
            return;
        }
        CatalogModel model = ref.get().model();
        Optional<OpenAiError> refused = ChatCapabilities.refusal(request, model);
        if (refused.isPresent()) {
            Responder.error(response, refused.get(), null, false);
            return;
        }
        ChatAttempt attempt = new ChatAttempt(in, request, model, response, providers, publisher);
        if (availability.status(model.provider(), model.id()) == AvailabilityStatus.DOWN) {
            attempt.fail(OpenAiError.unavailable("The provider serving '" + request.model()
                    + "' is currently unavailable. Please retry shortly."));
            return;
        }
        Optional<Endpoint> endpoint = providers.endpoint(model.provider());
        if (endpoint.isEmpty()) {
            attempt.fail(OpenAiError.unavailable("The provider serving '" + request.model()
                    + "' is not configured on this TokenHub."));
            return;
        }
        attempt.call(endpoint.get(), adapters.forProvider(model.provider()));
    }
}
