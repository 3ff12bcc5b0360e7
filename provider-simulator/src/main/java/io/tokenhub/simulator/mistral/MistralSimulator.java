package io.tokenhub.simulator.mistral;

import static io.tokenhub.simulator.mistral.MistralAnswers.embeddings;
import static io.tokenhub.simulator.mistral.MistralAnswers.modelCard;
import static io.tokenhub.simulator.mistral.MistralAnswers.modelIds;
import static io.tokenhub.simulator.mistral.MistralFailures.error;
import static io.tokenhub.simulator.mistral.MistralFailures.failWith;
import static io.tokenhub.simulator.mistral.MistralFailures.invalidJson;
import static io.tokenhub.simulator.mistral.MistralFailures.streamError;
import static io.tokenhub.simulator.mistral.MistralRequests.CHAT_FIELDS;
import static io.tokenhub.simulator.mistral.MistralRequests.MESSAGE_FIELDS;
import static io.tokenhub.simulator.mistral.MistralRequests.badToolCallId;
import static io.tokenhub.simulator.mistral.MistralRequests.extraFields;
import static io.tokenhub.simulator.mistral.MistralRequests.loc;
import static io.tokenhub.simulator.mistral.MistralRequests.missing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.wire.ProviderWire;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.Conversation;
import io.tokenhub.simulator.Ids;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.SimulatedProvider;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsRequests;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsWire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Set;

/**
 * Mistral's La Plateforme API (https://docs.mistral.ai/api/), base URL {@code https://api.mistral.ai}:
 * {@code POST /v1/chat/completions} (JSON or SSE with usage in the finish chunk), {@code POST /v1/embeddings},
 * {@code GET /v1/models[/{id}]}, Bearer auth. Like the real API it validates strictly: the request schemas forbid
 * extra fields ({@code additionalProperties: false}), so anything unknown, {@code stream_options} included, gets
 * FastAPI's 422 {@code {"detail": [...]}}; tool call ids must be 9 alphanumerics. Other errors use Mistral's
 * {@code {"object": "error", ...}} body.
 */
public class MistralSimulator implements SimulatedProvider {

    private static final ProviderWire WIRE = ProviderWire.of(Provider.MISTRAL);

    private final ChatCompletionsWire wire = new MistralStreams();

    @Override
    public String name() {
        return WIRE.provider().wireName();
    }

    @Override
    public String basePath() {
        return WIRE.basePath();
    }

    @Override
    public void handle(HttpServerRequest req, Buffer body, Behaviour behaviour) {
        String correlation = Ids.hex(8) + "-" + Ids.hex(4) + "-" + Ids.hex(4) + "-" + Ids.hex(4) + "-" + Ids.hex(12);
        HttpServerResponse res = req.response()
                .putHeader("mistral-correlation-id", correlation)
                .putHeader("x-kong-request-id", correlation);
        String auth = req.getHeader(WIRE.auth().header());
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
        if (method.equals("POST") && path.equals(WIRE.chatPath())) {
            chat(req, body, behaviour);
        } else if (method.equals("POST") && path.equals(WIRE.embeddingsPath())) {
            embeddings(res, body);
        } else if (method.equals("GET") && path.equals(WIRE.modelsPath())) {
            ObjectNode out = Json.object().put("object", "list");
            ArrayNode data = out.putArray("data");
            modelIds().forEach(id -> data.add(modelCard(id)));
            Json.send(res, 200, out);
        } else if (method.equals("GET")
                && path.startsWith(WIRE.modelsPath() + "/")
                && modelIds().contains(path.substring((WIRE.modelsPath() + "/").length()))) {
            Json.send(res, 200, modelCard(path.substring((WIRE.modelsPath() + "/").length())));
        } else {
            Json.send(res, 404, Json.object().put("detail", "Not Found"));
        }
    }

    void chat(HttpServerRequest req, Buffer body, Behaviour behaviour) {
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
        if (ChatCompletionsRequests.toolPairingProblem(messages) != null) {
            error(
                    res,
                    400,
                    "Not the same number of function calls and responses",
                    "invalid_request_message_order",
                    "3230");
            return;
        }
        Conversation conversation = ChatCompletionsRequests.conversation(request);
        Answer answer = Answer.of(conversation, behaviour);
        String model = request.get("model").asText();
        if (request.path("stream").asBoolean(false)) {
            wire.stream(req, request, conversation, answer, model, behaviour, streamError());
        } else {
            wire.complete(res, conversation, answer, model);
        }
    }
}
