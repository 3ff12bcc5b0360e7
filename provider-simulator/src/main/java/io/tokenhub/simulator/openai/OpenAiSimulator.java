package io.tokenhub.simulator.openai;

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
import io.tokenhub.simulator.chatcompletions.ChatCompletionsWire.ToolPairingProblem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's API (https://platform.openai.com/docs/api-reference) under the base URL {@code .../v1}, as the official
 * SDKs see it: {@code POST /v1/chat/completions} (JSON or SSE), {@code POST /v1/embeddings} (float or base64, which
 * the Node SDK asks for by default), {@code GET /v1/models} and {@code GET /v1/models/{id}}. Bearer auth; errors as
 * {@code {"error": {message, type, param, code}}} with {@code x-request-id} on every response.
 */
public class OpenAiSimulator implements SimulatedProvider {

    /** The dated snapshot OpenAI answers with when a request names an alias. */
    private static final Map<String, String> SNAPSHOTS = Map.of(
            "gpt-4o", "gpt-4o-2024-08-06",
            "gpt-4o-mini", "gpt-4o-mini-2024-07-18",
            "o1", "o1-2024-12-17",
            "o3", "o3-2025-04-16",
            "o3-mini", "o3-mini-2025-01-31");

    /** Default vector sizes (https://platform.openai.com/docs/guides/embeddings). */
    private static final Map<String, Integer> EMBEDDING_DIMENSIONS = Map.of(
            "text-embedding-3-small", 1536,
            "text-embedding-3-large", 3072,
            "text-embedding-ada-002", 1536);

    private final ChatCompletionsWire wire = new ChatCompletionsWire(ChatCompletionsWire.Dialect.OPENAI);

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public String basePath() {
        return "/v1";
    }

    @Override
    public void handle(HttpServerRequest req, Buffer body, Behaviour behaviour) {
        HttpServerResponse res = req.response().putHeader("x-request-id", "req_" + Ids.hex(32));
        String auth = req.getHeader("authorization");
        if (auth == null || !auth.startsWith("Bearer ") || auth.length() <= 7) {
            ChatCompletionsWire.error(
                    res,
                    401,
                    "You didn't provide an API key. You need to provide your API key in "
                            + "an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the "
                            + "password field (with blank username) if you're accessing the API from your browser and are "
                            + "prompted for a username and password. You can obtain an API key from "
                            + "https://platform.openai.com/account/api-keys.",
                    "invalid_request_error",
                    null,
                    null);
            return;
        }
        if (behaviour.errorStatus() != 0) {
            ChatCompletionsWire.failWith(res, behaviour);
            return;
        }
        String method = req.method().name();
        String path = req.path();
        if (method.equals("POST") && path.equals("/v1/chat/completions")) {
            chat(req, body, behaviour);
        } else if (method.equals("POST") && path.equals("/v1/embeddings")) {
            embeddings(res, body);
        } else if (method.equals("GET") && path.equals("/v1/models")) {
            Json.send(res, 200, models());
        } else if (method.equals("GET") && path.startsWith("/v1/models/")) {
            model(res, path.substring("/v1/models/".length()));
        } else {
            ChatCompletionsWire.error(
                    res, 404, "Invalid URL (" + method + " " + path + ")", "invalid_request_error", null, null);
        }
    }

    private void chat(HttpServerRequest req, Buffer body, Behaviour behaviour) {
        HttpServerResponse res = req.response();
        ObjectNode request = parse(res, body);
        if (request == null) {
            return;
        }
        if (!request.path("model").isTextual()) {
            ChatCompletionsWire.error(
                    res, 400, "you must provide a model parameter", "invalid_request_error", null, null);
            return;
        }
        JsonNode messages = request.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            ChatCompletionsWire.error(
                    res, 400, "[] is too short - 'messages'", "invalid_request_error", "messages", "empty_array");
            return;
        }
        String model = request.get("model").asText();
        if (isReasoningModel(model) && request.has("max_tokens")) {
            ChatCompletionsWire.error(
                    res,
                    400,
                    "Unsupported parameter: 'max_tokens' is not supported with this "
                            + "model. Use 'max_completion_tokens' instead.",
                    "invalid_request_error",
                    "max_tokens",
                    "unsupported_parameter");
            return;
        }
        ToolPairingProblem problem = ChatCompletionsWire.toolPairingProblem(messages);
        if (problem != null) {
            String message = problem.orphanResult()
                    ? "Invalid parameter: messages with role 'tool' must be a response to a preceeding message "
                            + "with 'tool_calls'."
                    : "An assistant message with 'tool_calls' must be followed by tool messages responding to each "
                            + "'tool_call_id'. The following tool_call_ids did not have response messages: "
                            + String.join(", ", problem.ids());
            ChatCompletionsWire.error(
                    res, 400, message, "invalid_request_error", "messages.[" + problem.messageIndex() + "].role", null);
            return;
        }
        Conversation conversation = ChatCompletionsWire.conversation(request);
        Answer answer = Answer.of(conversation, behaviour);
        String answeredModel = SNAPSHOTS.getOrDefault(model, model);
        if (request.path("stream").asBoolean(false)) {
            wire.stream(
                    req, request, conversation, answer, answeredModel, behaviour, ChatCompletionsWire.streamError());
        } else {
            wire.complete(res, conversation, answer, answeredModel);
        }
    }

    /** o-series reasoning models take {@code max_completion_tokens} only. */
    private static boolean isReasoningModel(String model) {
        return model.matches("o\\d.*");
    }

    private static void embeddings(HttpServerResponse res, Buffer body) {
        ObjectNode request = parse(res, body);
        if (request == null) {
            return;
        }
        if (!request.path("model").isTextual()) {
            ChatCompletionsWire.error(
                    res, 400, "you must provide a model parameter", "invalid_request_error", null, null);
            return;
        }
        String model = request.get("model").asText();
        List<String> inputs = inputs(request.path("input"));
        if (inputs == null) {
            ChatCompletionsWire.error(
                    res,
                    400,
                    "'$.input' is invalid. Please check the API reference: "
                            + "https://platform.openai.com/docs/api-reference.",
                    "invalid_request_error",
                    null,
                    null);
            return;
        }
        String format = request.path("encoding_format").asText("float");
        if (!format.equals("float") && !format.equals("base64")) {
            ChatCompletionsWire.error(
                    res,
                    400,
                    "'" + format + "' is not one of ['float', 'base64'] - " + "'encoding_format'",
                    "invalid_request_error",
                    "encoding_format",
                    null);
            return;
        }
        int dimensions = EMBEDDING_DIMENSIONS.getOrDefault(model, 1536);
        if (request.hasNonNull("dimensions")) {
            if (model.equals("text-embedding-ada-002")) {
                ChatCompletionsWire.error(
                        res,
                        400,
                        "This model does not support specifying dimensions.",
                        "invalid_request_error",
                        null,
                        null);
                return;
            }
            int wanted = request.get("dimensions").asInt();
            if (wanted < 1 || wanted > dimensions) {
                ChatCompletionsWire.error(
                        res,
                        400,
                        "Invalid value for 'dimensions': must be between 1 and " + dimensions + ".",
                        "invalid_request_error",
                        "dimensions",
                        null);
                return;
            }
            dimensions = wanted;
        }
        ObjectNode out = Json.object().put("object", "list");
        ArrayNode data = out.putArray("data");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = Embeddings.vector(inputs.get(i), dimensions);
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (format.equals("base64")) {
                item.put("embedding", Embeddings.base64(vector));
            } else {
                item.set("embedding", Embeddings.json(vector));
            }
            tokens += TokenCounter.count(inputs.get(i));
        }
        out.put("model", model);
        out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        Json.send(res, 200, out);
    }

    /** The inputs as texts (token arrays as their JSON), or null when the input is missing or empty. */
    private static List<String> inputs(JsonNode input) {
        if (input.isTextual()) {
            return input.asText().isEmpty() ? null : List.of(input.asText());
        }
        if (!input.isArray() || input.isEmpty()) {
            return null;
        }
        if (input.get(0).isNumber()) {
            return List.of(input.toString());
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : input) {
            if ((!item.isTextual() && !item.isArray())
                    || (item.isTextual() && item.asText().isEmpty())) {
                return null;
            }
            out.add(item.isTextual() ? item.asText() : item.toString());
        }
        return out;
    }

    private static ObjectNode models() {
        ObjectNode out = Json.object().put("object", "list");
        ArrayNode data = out.putArray("data");
        modelIds().forEach(id -> data.add(modelObject(id)));
        return out;
    }

    private static List<String> modelIds() {
        List<String> ids = new ArrayList<>(SNAPSHOTS.keySet());
        ids.addAll(SNAPSHOTS.values());
        ids.addAll(EMBEDDING_DIMENSIONS.keySet());
        ids.sort(String::compareTo);
        return ids;
    }

    private static ObjectNode modelObject(String id) {
        return Json.object()
                .put("id", id)
                .put("object", "model")
                .put("created", 1715367049L)
                .put("owned_by", "system");
    }

    private static void model(HttpServerResponse res, String id) {
        if (modelIds().contains(id)) {
            Json.send(res, 200, modelObject(id));
        } else {
            ChatCompletionsWire.error(
                    res,
                    404,
                    "The model '" + id + "' does not exist",
                    "invalid_request_error",
                    "model",
                    "model_not_found");
        }
    }

    private static ObjectNode parse(HttpServerResponse res, Buffer body) {
        ObjectNode request = Json.parseObject(body);
        if (request == null) {
            ChatCompletionsWire.error(
                    res,
                    400,
                    "We could not parse the JSON body of your request. (HINT: This "
                            + "likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON "
                            + "payload, but what was sent was not valid JSON.)",
                    "invalid_request_error",
                    null,
                    null);
        }
        return request;
    }
}
