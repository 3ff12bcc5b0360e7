package io.tokenhub.simulator.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.Conversation;
import io.tokenhub.simulator.Embeddings;
import io.tokenhub.simulator.Ids;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.SimulatedProvider;
import io.tokenhub.simulator.TokenCounter;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsWire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Mistral's La Plateforme API (https://docs.mistral.ai/api/), base URL {@code https://api.mistral.ai}:
 * {@code POST /v1/chat/completions} (JSON or SSE with usage in the finish chunk), {@code POST /v1/embeddings},
 * {@code GET /v1/models[/{id}]}, Bearer auth. Like the real API it validates strictly: the request schemas forbid
 * extra fields ({@code additionalProperties: false}), so anything unknown, {@code stream_options} included, gets
 * FastAPI's 422 {@code {"detail": [...]}}; tool call ids must be 9 alphanumerics. Other errors use Mistral's
 * {@code {"object": "error", ...}} body.
 */
public class MistralSimulator implements SimulatedProvider {

    /** ChatCompletionRequest's properties in Mistral's OpenAPI spec. */
    private static final Set<String> CHAT_FIELDS = Set.of(
            "model",
            "temperature",
            "top_p",
            "max_tokens",
            "stream",
            "stop",
            "random_seed",
            "metadata",
            "messages",
            "response_format",
            "tools",
            "tool_choice",
            "presence_penalty",
            "frequency_penalty",
            "n",
            "prediction",
            "parallel_tool_calls",
            "reasoning_effort",
            "prompt_mode",
            "guardrails",
            "prompt_cache_key",
            "service_tier",
            "safe_prompt");

    /** Each message role's properties in the same spec. */
    private static final Map<String, Set<String>> MESSAGE_FIELDS = Map.of(
            "system", Set.of("role", "content"),
            "user", Set.of("role", "content"),
            "assistant", Set.of("role", "content", "tool_calls", "prefix"),
            "tool", Set.of("role", "content", "tool_call_id", "name"));

    private static final Set<String> EMBEDDING_FIELDS =
            Set.of("model", "metadata", "input", "output_dimension", "output_dtype", "encoding_format");

    private static final Pattern TOOL_CALL_ID = Pattern.compile("[a-zA-Z0-9]{9}");

    /** Models with their context windows (https://docs.mistral.ai/getting-started/models/). */
    private static final Map<String, Integer> CHAT_MODELS = Map.of(
            "mistral-large-latest", 131072,
            "mistral-small-latest", 131072,
            "codestral-latest", 262144);

    private static final Map<String, Integer> EMBEDDING_DIMENSIONS = Map.of(
            "mistral-embed", 1024,
            "codestral-embed", 1536);

    private final ChatCompletionsWire wire = new ChatCompletionsWire(ChatCompletionsWire.Dialect.MISTRAL);

    @Override
    public String name() {
        return "mistral";
    }

    @Override
    public String basePath() {
        return "";
    }

    @Override
    public void handle(HttpServerRequest req, Buffer body, Behaviour behaviour) {
        String correlation = Ids.hex(8) + "-" + Ids.hex(4) + "-" + Ids.hex(4) + "-" + Ids.hex(4) + "-" + Ids.hex(12);
        HttpServerResponse res = req.response()
                .putHeader("mistral-correlation-id", correlation)
                .putHeader("x-kong-request-id", correlation);
        String auth = req.getHeader("authorization");
        if (auth == null || !auth.startsWith("Bearer ") || auth.length() <= 7) {
            Json.send(res, 401, Json.object().put("message", "Unauthorized").put("request_id", Ids.hex(32)));
            return;
        }
        if (behaviour.errorStatus() != 0) {
            failWith(res, behaviour.errorStatus());
            return;
        }
        String method = req.method().name();
        String path = req.path();
        if (method.equals("POST") && path.equals("/v1/chat/completions")) {
            chat(req, body, behaviour);
        } else if (method.equals("POST") && path.equals("/v1/embeddings")) {
            embeddings(res, body);
        } else if (method.equals("GET") && path.equals("/v1/models")) {
            ObjectNode out = Json.object().put("object", "list");
            ArrayNode data = out.putArray("data");
            modelIds().forEach(id -> data.add(modelCard(id)));
            Json.send(res, 200, out);
        } else if (method.equals("GET")
                && path.startsWith("/v1/models/")
                && modelIds().contains(path.substring("/v1/models/".length()))) {
            Json.send(res, 200, modelCard(path.substring("/v1/models/".length())));
        } else {
            Json.send(res, 404, Json.object().put("detail", "Not Found"));
        }
    }

    private void chat(HttpServerRequest req, Buffer body, Behaviour behaviour) {
        HttpServerResponse res = req.response();
        ObjectNode request = Json.parseObject(body);
        if (request == null) {
            invalidJson(res);
            return;
        }
        ArrayNode detail = Json.MAPPER.createArrayNode();
        extraFields(request, CHAT_FIELDS, List.of("body"), detail);
        missing(request, "model", detail);
        missing(request, "messages", detail);
        JsonNode messages = request.path("messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String role = message.path("role").asText();
            Set<String> allowed = MESSAGE_FIELDS.get(role);
            if (allowed == null) {
                ObjectNode entry = detail.addObject().put("type", "union_tag_invalid");
                entry.set("loc", loc("body", "messages", i));
                entry.put(
                                "msg",
                                "Input tag '" + role + "' found using 'role' does not match any of the expected "
                                        + "tags: 'assistant', 'system', 'tool', 'user'")
                        .set("input", message);
            } else {
                extraFields(message, allowed, List.of("body", "messages", i, role), detail);
            }
        }
        if (!detail.isEmpty()) {
            Json.send(res, 422, Json.object().set("detail", detail));
            return;
        }
        if (!messages.isArray() || messages.isEmpty()) {
            error(res, 400, "Messages list must not be empty.", "invalid_request_message_order", "3230");
            return;
        }
        String badId = badToolCallId(messages);
        if (badId != null) {
            error(
                    res,
                    400,
                    "Tool call id was " + badId + " but must be a-z, A-Z, 0-9, with a length of 9.",
                    "invalid_function_call",
                    "3280");
            return;
        }
        if (ChatCompletionsWire.toolPairingProblem(messages) != null) {
            error(
                    res,
                    400,
                    "Not the same number of function calls and responses",
                    "invalid_request_message_order",
                    "3230");
            return;
        }
        Conversation conversation = ChatCompletionsWire.conversation(request);
        Answer answer = Answer.of(conversation, behaviour);
        String model = request.get("model").asText();
        if (request.path("stream").asBoolean(false)) {
            wire.stream(req, request, conversation, answer, model, behaviour, streamError());
        } else {
            wire.complete(res, conversation, answer, model);
        }
    }

    private static String badToolCallId(JsonNode messages) {
        for (JsonNode message : messages) {
            List<JsonNode> ids = new ArrayList<>();
            message.path("tool_calls").forEach(call -> ids.add(call.path("id")));
            if (message.has("tool_call_id")) {
                ids.add(message.get("tool_call_id"));
            }
            for (JsonNode id : ids) {
                if (!TOOL_CALL_ID.matcher(id.asText()).matches()) {
                    return id.isNull() || id.isMissingNode() ? "null" : id.asText();
                }
            }
        }
        return null;
    }

    private static void embeddings(HttpServerResponse res, Buffer body) {
        ObjectNode request = Json.parseObject(body);
        if (request == null) {
            invalidJson(res);
            return;
        }
        ArrayNode detail = Json.MAPPER.createArrayNode();
        extraFields(request, EMBEDDING_FIELDS, List.of("body"), detail);
        missing(request, "model", detail);
        missing(request, "input", detail);
        if (!detail.isEmpty()) {
            Json.send(res, 422, Json.object().set("detail", detail));
            return;
        }
        List<String> inputs = new ArrayList<>();
        JsonNode input = request.get("input");
        if (input.isTextual()) {
            inputs.add(input.asText());
        } else {
            input.forEach(item -> inputs.add(item.asText()));
        }
        if (inputs.isEmpty()) {
            error(res, 400, "Input must not be empty", "invalid_request_error", null);
            return;
        }
        String model = request.get("model").asText();
        int dimensions = request.path("output_dimension").canConvertToInt()
                ? request.get("output_dimension").asInt()
                : EMBEDDING_DIMENSIONS.getOrDefault(model, 1024);
        ObjectNode out = Json.object().put("id", Ids.hex(32)).put("object", "list");
        ArrayNode data = out.putArray("data");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding");
            item.set("embedding", Embeddings.json(Embeddings.vector(inputs.get(i), dimensions)));
            item.put("index", i);
            tokens += TokenCounter.count(inputs.get(i));
        }
        out.put("model", model);
        ObjectNode usage = out.putObject("usage");
        usage.putNull("prompt_audio_seconds");
        usage.put("prompt_tokens", tokens).put("total_tokens", tokens).put("completion_tokens", 0);
        usage.putNull("request_count");
        Json.send(res, 200, out);
    }

    /** Pydantic's {@code extra_forbidden} entries, one per unknown field, as the real API reports them. */
    private static void extraFields(JsonNode object, Set<String> allowed, List<Object> at, ArrayNode detail) {
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!allowed.contains(field.getKey())) {
                List<Object> path = new ArrayList<>(at);
                path.add(field.getKey());
                ObjectNode entry = detail.addObject().put("type", "extra_forbidden");
                entry.set("loc", loc(path.toArray()));
                entry.put("msg", "Extra inputs are not permitted").set("input", field.getValue());
            }
        }
    }

    private static void missing(ObjectNode request, String field, ArrayNode detail) {
        if (!request.hasNonNull(field)) {
            ObjectNode entry = detail.addObject().put("type", "missing");
            entry.set("loc", loc("body", field));
            entry.put("msg", "Field required").set("input", request);
        }
    }

    private static ArrayNode loc(Object... parts) {
        ArrayNode loc = Json.MAPPER.createArrayNode();
        for (Object part : parts) {
            if (part instanceof Integer i) {
                loc.add(i);
            } else {
                loc.add(part.toString());
            }
        }
        return loc;
    }

    private static void invalidJson(HttpServerResponse res) {
        ArrayNode detail = Json.MAPPER.createArrayNode();
        ObjectNode entry = detail.addObject().put("type", "json_invalid");
        entry.set("loc", loc("body", 0));
        entry.put("msg", "JSON decode error").putObject("input");
        entry.putObject("ctx").put("error", "Expecting value");
        Json.send(res, 422, Json.object().set("detail", detail));
    }

    /** Mistral's general error body, e.g. the recorded 429 and tool-call-id 400. */
    private static void error(HttpServerResponse res, int status, String message, String type, String code) {
        ObjectNode body =
                Json.object().put("object", "error").put("message", message).put("type", type);
        body.putNull("param");
        body.put("code", code).put("raw_status_code", status);
        Json.send(res, status, body);
    }

    private static void failWith(HttpServerResponse res, int status) {
        switch (status) {
            case 401 ->
                Json.send(res, 401, Json.object().put("message", "Unauthorized").put("request_id", Ids.hex(32)));
            case 422 -> {
                ArrayNode detail = Json.MAPPER.createArrayNode();
                ObjectNode entry = detail.addObject().put("type", "value_error");
                entry.set("loc", loc("body", "messages"));
                entry.put("msg", "Value error, the conversation is not valid");
                Json.send(res, 422, Json.object().set("detail", detail));
            }
            case 429 -> error(res, 429, "Rate limit exceeded", "rate_limited", "1300");
            default -> {
                if (status < 500) {
                    error(res, status, "Invalid request", "invalid_request_error", "3000");
                } else {
                    error(res, status, "Internal server error", "internal_server_error", "1000");
                }
            }
        }
    }

    /** Mistral documents no in-stream error event; this sends its general error body as a data event. */
    private static String streamError() {
        ObjectNode body = Json.object()
                .put("object", "error")
                .put("message", "Internal server error")
                .put("type", "internal_server_error");
        body.putNull("param");
        body.put("code", "1000").put("raw_status_code", 500);
        return body.toString();
    }

    private static List<String> modelIds() {
        List<String> ids = new ArrayList<>(CHAT_MODELS.keySet());
        ids.addAll(EMBEDDING_DIMENSIONS.keySet());
        ids.sort(String::compareTo);
        return ids;
    }

    /** A {@code BaseModelCard} (Mistral's OpenAPI spec). */
    private static ObjectNode modelCard(String id) {
        boolean chat = CHAT_MODELS.containsKey(id);
        ObjectNode card = Json.object()
                .put("id", id)
                .put("object", "model")
                .put("created", 1735689600L)
                .put("owned_by", "mistralai");
        ObjectNode capabilities = card.putObject("capabilities")
                .put("completion_chat", chat)
                .put("function_calling", chat)
                .put("completion_fim", id.startsWith("codestral") && chat)
                .put("fine_tuning", false)
                .put("vision", chat && !id.startsWith("codestral"))
                .put("classification", false);
        capabilities.put("reasoning", false);
        card.put("name", id)
                .put("description", "Simulated " + id)
                .put("max_context_length", chat ? CHAT_MODELS.get(id) : 8192);
        card.putArray("aliases");
        card.putNull("deprecation");
        card.putNull("deprecation_replacement_model");
        card.put("default_model_temperature", chat ? 0.3 : null);
        card.put("type", "base");
        return card;
    }
}
