package io.tokenhub.routing.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenhub.common.catalog.Capability;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.OpenAiError;
import java.util.Optional;

/**
 * What a Chat Completions request needs from a model, checked against the catalog's capabilities before any provider
 * is called, so a client asking an embeddings model to chat, or a text-only model to look at an image, gets a clear
 * 400 from TokenHub instead of a provider's error.
 */
final class ChatCapabilities {

    private ChatCapabilities() {}

    /** The first capability {@code request} needs that {@code model} lacks, as the client's error. */
    static Optional<OpenAiError> refusal(ChatRequest request, CatalogModel model) {
        JsonNode body = request.body();
        if (!model.can(Capability.CHAT)) {
            return refuse(model, "is not a chat model; use it with /v1/embeddings", "model");
        }
        if (request.stream() && !model.can(Capability.STREAMING)) {
            return refuse(model, "does not stream", "stream");
        }
        if (body.path("tools").isArray() && !body.get("tools").isEmpty() && !model.can(Capability.TOOLS)) {
            return refuse(model, "does not support tools", "tools");
        }
        String format = body.path("response_format").path("type").asText();
        if ((format.equals("json_object") || format.equals("json_schema")) && !model.can(Capability.JSON_MODE)) {
            return refuse(model, "does not support JSON response formats", "response_format");
        }
        if (!model.can(Capability.VISION) && hasImage(body.path("messages"))) {
            return refuse(model, "does not accept images", "messages");
        }
        return Optional.empty();
    }

    private static boolean hasImage(JsonNode messages) {
        for (JsonNode message : messages) {
            for (JsonNode part : message.path("content")) {
                if ("image_url".equals(part.path("type").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Optional<OpenAiError> refuse(CatalogModel model, String what, String param) {
        return Optional.of(new OpenAiError(
                400,
                "invalid_request_error",
                "The model '" + model.id() + "' " + what + ".",
                param,
                "model_capability_missing",
                null));
    }
}
