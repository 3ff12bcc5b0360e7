package io.tokenhub.simulator.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.Conversation;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.SimulatedProvider;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsWire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Meta's Llama API through its OpenAI-compatible endpoint, base URL {@code .../compat/v1} (production
 * {@code https://api.llama.com/compat/v1}, https://llama.developer.meta.com/docs/features/compatibility/):
 * {@code POST /compat/v1/chat/completions} (JSON or SSE) and {@code GET /compat/v1/models[/{id}]}, Bearer auth.
 * Meta publishes no error body for this endpoint; the simulator answers with OpenAI's shape, which is what the
 * OpenAI SDKs that the endpoint targets parse.
 */
public class MetaSimulator implements SimulatedProvider {

    private static final String BASE = "/compat/v1";

    /** Models the Llama API lists (meta-llama/llama-stack's llama_openai_compat model table). */
    private static final List<String> MODELS = List.of(
            "Llama-3.3-70B-Instruct",
            "Llama-3.3-8B-Instruct",
            "Llama-4-Maverick-17B-128E-Instruct-FP8",
            "Llama-4-Scout-17B-16E-Instruct-FP8");

    private final ChatCompletionsWire wire = new ChatCompletionsWire(ChatCompletionsWire.Dialect.LLAMA);

    @Override
    public String name() {
        return "meta";
    }

    @Override
    public String basePath() {
        return BASE;
    }

    @Override
    public void handle(HttpServerRequest req, Buffer body, Behaviour behaviour) {
        HttpServerResponse res = req.response();
        String auth = req.getHeader("authorization");
        if (auth == null || !auth.startsWith("Bearer ") || auth.length() <= 7) {
            ChatCompletionsWire.error(
                    res,
                    401,
                    "Authentication required: missing or invalid API key.",
                    "authentication_error",
                    null,
                    "invalid_api_key");
            return;
        }
        if (behaviour.errorStatus() != 0) {
            ChatCompletionsWire.failWith(res, behaviour);
            return;
        }
        String method = req.method().name();
        String path = req.path();
        if (method.equals("POST") && path.equals(BASE + "/chat/completions")) {
            chat(req, body, behaviour);
        } else if (method.equals("GET") && path.equals(BASE + "/models")) {
            ObjectNode out = Json.object().put("object", "list");
            ArrayNode data = out.putArray("data");
            MODELS.forEach(id -> data.add(model(id)));
            Json.send(res, 200, out);
        } else if (method.equals("GET")
                && path.startsWith(BASE + "/models/")
                && MODELS.contains(path.substring((BASE + "/models/").length()))) {
            Json.send(res, 200, model(path.substring((BASE + "/models/").length())));
        } else {
            ChatCompletionsWire.error(
                    res, 404, "Not found: " + method + " " + path, "invalid_request_error", null, "not_found");
        }
    }

    private void chat(HttpServerRequest req, Buffer body, Behaviour behaviour) {
        HttpServerResponse res = req.response();
        ObjectNode request = Json.parseObject(body);
        if (request == null) {
            ChatCompletionsWire.error(res, 400, "Invalid JSON body.", "invalid_request_error", null, null);
            return;
        }
        if (!request.path("model").isTextual()) {
            ChatCompletionsWire.error(res, 400, "model: Field required", "invalid_request_error", "model", null);
            return;
        }
        JsonNode messages = request.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            ChatCompletionsWire.error(res, 400, "messages: Field required", "invalid_request_error", "messages", null);
            return;
        }
        Conversation conversation = ChatCompletionsWire.conversation(request);
        Answer answer = Answer.of(conversation, behaviour);
        String model = request.get("model").asText();
        if (request.path("stream").asBoolean(false)) {
            wire.stream(req, request, conversation, answer, model, behaviour, ChatCompletionsWire.streamError());
        } else {
            wire.complete(res, conversation, answer, model);
        }
    }

    private static ObjectNode model(String id) {
        return Json.object()
                .put("id", id)
                .put("object", "model")
                .put("created", 1735689600L)
                .put("owned_by", "Meta");
    }
}
