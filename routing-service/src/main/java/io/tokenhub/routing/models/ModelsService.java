package io.tokenhub.routing.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.ModelRef;
import io.tokenhub.common.catalog.Price;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.routing.call.ProviderCalls;
import io.tokenhub.routing.inbound.Responder;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.settings.RoutingSettingsStore;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * {@code GET /v1/models} and {@code /v1/models/{model}} in OpenAI's list and object shapes, from the catalog, with
 * {@code owned_by} naming the provider. A retired model is not listed, and asking for it is the 404 a request for it
 * gets, naming its successor; neither is a model outside the region an account is restricted to.
 */
@ApplicationScoped
public class ModelsService {

    private final ObjectMapper json;
    private final Catalog catalog;
    private final ModelLifecycle lifecycle;
    private final RoutingSettingsStore settings;
    private final ProviderCalls calls;

    public ModelsService(
            ObjectMapper json,
            Catalog catalog,
            ModelLifecycle lifecycle,
            RoutingSettingsStore settings,
            ProviderCalls calls) {
        this.json = json;
        this.catalog = catalog;
        this.lifecycle = lifecycle;
        this.settings = settings;
        this.calls = calls;
    }

    /** The models the account can use: an account restricted to a region sees those with an endpoint there. */
    public void list(String accountId, HttpServerResponse response) {
        Optional<String> region = settings.get(accountId).regionRestriction();
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        catalog.models().stream()
                .filter(lifecycle::listed)
                .filter(m -> region.isEmpty() || calls.servable(m, region))
                .forEach(m -> data.add(model(m)));
        Responder.json(response, root.toString().getBytes(StandardCharsets.UTF_8), null, false);
    }

    /** Accepts the plain id and the provider-prefixed one; answers with the id as asked. */
    public void get(String id, HttpServerResponse response) {
        Optional<ModelRef> ref = catalog.resolve(id);
        if (ref.isEmpty()) {
            Responder.error(response, OpenAiError.modelNotFound(id), null, false);
            return;
        }
        try {
            lifecycle.current(ref.get(), id, false);
        } catch (InvalidRequestException e) {
            Responder.error(response, e.error(), null, false);
            return;
        }
        lifecycle.deprecation(ref.get().model()).ifPresent(day -> response.putHeader(TokenHubHeaders.DEPRECATION, day));
        Responder.json(
                response,
                model(ref.get().model()).put("id", id).toString().getBytes(StandardCharsets.UTF_8),
                null,
                false);
    }

    private ObjectNode model(CatalogModel m) {
        long created = m.prices().stream()
                .map(Price::effectiveFrom)
                .min(Comparator.naturalOrder())
                .map(Instant::getEpochSecond)
                .orElse(0L);
        return json.createObjectNode()
                .put("id", m.id())
                .put("object", "model")
                .put("created", created)
                .put("owned_by", m.provider().wireName());
    }
}
