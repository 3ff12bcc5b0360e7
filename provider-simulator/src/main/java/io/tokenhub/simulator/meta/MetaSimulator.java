package io.tokenhub.simulator.meta;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.wire.ProviderWire;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.Conversation;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.SimulatedProvider;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsFailures;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsRequests;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsWire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Meta's Llama API through its OpenAI-compatible endpoint, base URL {@code .../compat/v1} (production
 * {@code https://api.llama.com/compat/v1}, https://llama.developer.meta.com/docs/features/compatibility/):
 * {@code POST /compat/v1/chat/completions} (JSON or SSE) and {@code GET /compat/v1/models[/{id}]}, Bearer auth.
 * Meta publishes no error body for this endpoint; the simulator answers with OpenAI's shape, which is what the
 * OpenAI SDKs that the endpoint targets parse.
 */
public class MetaSimulator implements SimulatedProvider {

    private static final ProviderWire WIRE = ProviderWire.of(Provider.META);

    private final ChatCompletionsWire wire = new MetaStreams();

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
        HttpServerResponse res = req.response();
        String auth = req.getHeader(WIRE.auth().header());
        if (auth == null || !auth.startsWith("Bearer ") || auth.length() <= 7) {
            MetaFailures.unauthorized(res);
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
        } else if (method.equals("GET") && path.equals(WIRE.basePath() + WIRE.modelsPath())) {
            ObjectNode out = Json.object().put("object", "list");
            ArrayNode data = out.putArray("data");
            MetaAnswers.MODELS.forEach(id -> data.add(MetaAnswers.model(id)));
            Json.send(res, 200, out);
        } else if (method.equals("GET")
                && path.startsWith(WIRE.basePath() + WIRE.modelsPath() + "/")
                && MetaAnswers.MODELS.contains(path.substring((WIRE.basePath() + WIRE.modelsPath() + "/").length()))) {
            Json.send(
                    res, 200, MetaAnswers.model(path.substring((WIRE.basePath() + WIRE.modelsPath() + "/").length())));
        } else {
            ChatCompletionsFailures.error(
                    res, 404, "Not found: " + method + " " + path, "invalid_request_error", null, "not_found");
        }
    }

    private void chat(HttpServerRequest req, Buffer body, Behaviour behaviour) {
        HttpServerResponse res = req.response();
        ObjectNode request = MetaRequests.read(res, body);
        if (request == null) {
            return;
        }
        Conversation conversation = ChatCompletionsRequests.conversation(request);
        Answer answer = Answer.of(conversation, behaviour);
        String model = request.get("model").asText();
        if (request.path("stream").asBoolean(false)) {
            wire.stream(req, request, conversation, answer, model, behaviour, ChatCompletionsFailures.streamError());
        } else {
            wire.complete(res, conversation, answer, model);
        }
    }
}
