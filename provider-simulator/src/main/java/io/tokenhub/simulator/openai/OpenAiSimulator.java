package io.tokenhub.simulator.openai;

import static io.tokenhub.simulator.openai.OpenAiAnswers.SNAPSHOTS;
import static io.tokenhub.simulator.openai.OpenAiAnswers.embeddings;
import static io.tokenhub.simulator.openai.OpenAiAnswers.model;
import static io.tokenhub.simulator.openai.OpenAiAnswers.models;
import static io.tokenhub.simulator.openai.OpenAiRequests.RESPONSES_ONLY;
import static io.tokenhub.simulator.openai.OpenAiRequests.isReasoningModel;
import static io.tokenhub.simulator.openai.OpenAiRequests.responsesConversation;
import static io.tokenhub.simulator.openai.OpenAiRequests.responsesRequest;
import static io.tokenhub.simulator.openai.OpenAiRequests.withModel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.wire.ProviderWire;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.Conversation;
import io.tokenhub.simulator.Ids;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.SimulatedProvider;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsFailures;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsRequests;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsRequests.ToolPairingProblem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * OpenAI's API (https://platform.openai.com/docs/api-reference) under the base URL {@code .../v1}, as the official
 * SDKs see it: {@code POST /v1/chat/completions} (JSON or SSE; a 404 for the models OpenAI serves on its Responses API
 * only), {@code POST /v1/responses} (JSON or SSE), {@code POST /v1/embeddings} (float or base64, which
 * the Node SDK asks for by default), {@code GET /v1/models} and {@code GET /v1/models/{id}}. Bearer auth; errors as
 * {@code {"error": {message, type, param, code}}} with {@code x-request-id} on every response.
 */
public class OpenAiSimulator implements SimulatedProvider {

    private static final ProviderWire WIRE = ProviderWire.of(Provider.OPENAI);

    private final OpenAiStreams wire = new OpenAiStreams();

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
        HttpServerResponse res = req.response().putHeader("x-request-id", "req_" + Ids.hex(32));
        String auth = req.getHeader(WIRE.auth().header());
        if (auth == null || !auth.startsWith("Bearer ") || auth.length() <= 7) {
            OpenAiFailures.unauthorized(res);
            return;
        }
        if (behaviour.errorStatus() != 0) {
            ChatCompletionsFailures.failWith(res, behaviour);
            return;
        }
        String method = req.method().name();
        String path = req.path();
        if (method.equals("POST") && path.equals(WIRE.basePath() + WIRE.chatPath())) {
            chat(req, body, behaviour);
        } else if (method.equals("POST") && path.equals(WIRE.basePath() + WIRE.responsesPath())) {
            responses(req, body, behaviour);
        } else if (method.equals("POST") && path.equals(WIRE.basePath() + WIRE.embeddingsPath())) {
            embeddings(res, body);
        } else if (method.equals("GET") && path.equals(WIRE.basePath() + WIRE.modelsPath())) {
            Json.send(res, 200, models());
        } else if (method.equals("GET") && path.startsWith(WIRE.basePath() + WIRE.modelsPath() + "/")) {
            model(res, path.substring((WIRE.basePath() + WIRE.modelsPath() + "/").length()));
        } else {
            ChatCompletionsFailures.error(
                    res, 404, "Invalid URL (" + method + " " + path + ")", "invalid_request_error", null, null);
        }
    }

    void chat(HttpServerRequest req, Buffer body, Behaviour behaviour) {
        HttpServerResponse res = req.response();
        ObjectNode request = withModel(res, body);
        if (request == null) {
            return;
        }
        JsonNode messages = request.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            ChatCompletionsFailures.error(
                    res, 400, "[] is too short - 'messages'", "invalid_request_error", "messages", "empty_array");
            return;
        }
        String model = request.get("model").asText();
        if (RESPONSES_ONLY.contains(model)) {
            OpenAiFailures.responsesOnly(res);
            return;
        }
        if (isReasoningModel(model) && request.has("max_tokens")) {
            ChatCompletionsFailures.error(
                    res,
                    400,
                    "Unsupported parameter: 'max_tokens' is not supported with this "
                            + "model. Use 'max_completion_tokens' instead.",
                    "invalid_request_error",
                    "max_tokens",
                    "unsupported_parameter");
            return;
        }
        ToolPairingProblem problem = ChatCompletionsRequests.toolPairingProblem(messages);
        if (problem != null) {
            String message = problem.orphanResult()
                    ? "Invalid parameter: messages with role 'tool' must be a response to a preceeding message "
                            + "with 'tool_calls'."
                    : "An assistant message with 'tool_calls' must be followed by tool messages responding to each "
                            + "'tool_call_id'. The following tool_call_ids did not have response messages: "
                            + String.join(", ", problem.ids());
            ChatCompletionsFailures.error(
                    res, 400, message, "invalid_request_error", "messages.[" + problem.messageIndex() + "].role", null);
            return;
        }
        Conversation conversation = ChatCompletionsRequests.conversation(request);
        Answer answer = Answer.of(conversation, behaviour);
        String answeredModel = SNAPSHOTS.getOrDefault(model, model);
        if (request.path("stream").asBoolean(false)) {
            wire.stream(
                    req,
                    request,
                    conversation,
                    answer,
                    answeredModel,
                    behaviour,
                    ChatCompletionsFailures.streamError());
        } else {
            wire.complete(res, conversation, answer, answeredModel);
        }
    }

    void responses(HttpServerRequest req, Buffer body, Behaviour behaviour) {
        ObjectNode request = responsesRequest(req.response(), body);
        if (request == null) {
            return;
        }
        Answer answer = Answer.of(responsesConversation(request), behaviour);
        String model = request.get("model").asText();
        String answeredModel = SNAPSHOTS.getOrDefault(model, model);
        if (request.path("stream").asBoolean(false)) {
            wire.responsesStream(req, request, answer, answeredModel, behaviour);
        } else {
            Json.send(req.response(), 200, OpenAiAnswers.completeResponse(request, answer, answeredModel));
        }
    }
}
