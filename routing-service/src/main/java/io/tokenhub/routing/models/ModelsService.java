package io.tokenhub.routing.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.Price;
import io.tokenhub.routing.inbound.Responder;
import io.tokenhub.routing.openai.OpenAiError;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;

/**
 * {@code GET /v1/models} and {@code /v1/models/{model}} in OpenAI's list and object shapes, from the catalog, with
 * {@code owned_by} naming the provider. The list is rendered once: the catalog does not change while running.
 */
@ApplicationScoped
public class ModelsService {

    private final ObjectMapper json;
    private final Catalog catalog;
    private final byte[] list;

    public ModelsService(ObjectMapper json, Catalog catalog) {
        this.json = json;
        this.catalog = catalog;
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        catalog.models().forEach(m -> data.add(model(m)));
        this.list = root.toString().getBytes(StandardCharsets.UTF_8);
    }

    public void list(HttpServerResponse response) {
        Responder.json(response, list, null, false);
    }

    /** Accepts the plain id and the provider-prefixed one; answers with the id as asked. */
    public void get(String id, HttpServerResponse response) {
        catalog.resolve(id)
                .ifPresentOrElse(
                        ref -> Responder.json(
                                response,
                                model(ref.model()).put("id", id).toString().getBytes(StandardCharsets.UTF_8),
                                null,
                                false),
                        () -> Responder.error(response, OpenAiError.modelNotFound(id), null, false));
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
