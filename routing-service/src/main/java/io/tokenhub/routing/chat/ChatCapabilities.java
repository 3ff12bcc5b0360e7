package io.tokenhub.routing.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenhub.common.catalog.Capability;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.OpenAiError;
import java.util.Optional;

/**
 * What a Chat Completions request needs from a model, checked against the catalog's capabilities before any provider
 * is called, so a client asking an embeddings model to chat, a text-only model to look at an image, a model that does
 * not reason for a reasoning effort, or a model for more context than its window, gets a clear 400 from TokenHub
 * instead of a provider's error, and a backup that cannot take the request is passed over. The prompt's size is
 * TokenHub's estimate ({@link StreamUsage#promptTokens}); only a prompt longer than the whole window is refused.
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
        if (body.hasNonNull("reasoning_effort") && !model.can(Capability.REASONING)) {
            return refuse(model, "is not a reasoning model; 'reasoning_effort' needs one", "reasoning_effort");
        }
        long prompt = StreamUsage.promptTokens(body);
        if (prompt > model.contextWindow()) {
            return Optional.of(new OpenAiError(
                    400,
                    "invalid_request_error",
                    "This model's maximum context length is " + model.contextWindow() + " tokens; the messages come"
                            + " to about " + prompt + " tokens ('" + model.id() + "'). Shorten them or use a model"
                            + " with a longer context.",
                    "messages",
                    "context_length_exceeded",
                    null));
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
