package io.tokenhub.simulator.anthropic;

import static io.tokenhub.simulator.anthropic.AnthropicAnswers.ALIASES;
import static io.tokenhub.simulator.anthropic.AnthropicAnswers.MODELS;
import static io.tokenhub.simulator.anthropic.AnthropicAnswers.message;
import static io.tokenhub.simulator.anthropic.AnthropicAnswers.modelInfo;
import static io.tokenhub.simulator.anthropic.AnthropicAnswers.models;
import static io.tokenhub.simulator.anthropic.AnthropicFailures.error;
import static io.tokenhub.simulator.anthropic.AnthropicFailures.failWith;
import static io.tokenhub.simulator.anthropic.AnthropicFailures.requestId;
import static io.tokenhub.simulator.anthropic.AnthropicRequests.conversation;
import static io.tokenhub.simulator.anthropic.AnthropicRequests.problem;
import static io.tokenhub.simulator.anthropic.AnthropicStreams.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.wire.ProviderWire;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.Conversation;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.SimulatedProvider;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Anthropic's Messages API (https://docs.claude.com/en/api/messages), base URL {@code https://api.anthropic.com}:
 * {@code POST /v1/messages} as JSON or as the named-event SSE stream ({@code message_start},
 * {@code content_block_start|delta|stop} with {@code text_delta} and {@code input_json_delta}, {@code ping},
 * extended thinking ({@link AnthropicThinking}: a thinking block first, {@code thinking_delta} and
 * {@code signature_delta} in streams),
 * {@code message_delta} with stop reason and cumulative usage, {@code message_stop}, in-stream {@code error}), and
 * {@code GET /v1/models[/{id}]}. Needs {@code x-api-key} (or {@code Authorization: Bearer}) and
 * {@code anthropic-version}. Usage follows Anthropic's semantics: {@code input_tokens} excludes cache reads and
 * writes, which requests with {@code cache_control} breakpoints cause as {@link PromptCache} describes (a test can
 * also force counts through its behaviour). Errors are {@code {"type":"error","error":{type,message},"request_id"}} with Anthropic's statuses, 529
 * {@code overloaded_error} included; every response carries a {@code request-id} header.
 */
public class AnthropicSimulator implements SimulatedProvider {

    private static final ProviderWire WIRE = ProviderWire.of(Provider.ANTHROPIC);

    /** What requests with {@code cache_control} breakpoints wrote, for the reads of later ones. */
    private final PromptCache promptCache = new PromptCache();

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
        HttpServerResponse res = req.response().putHeader("request-id", requestId());
        String auth = req.getHeader(ProviderWire.Auth.BEARER.header());
        boolean bearer = auth != null && auth.startsWith("Bearer ") && auth.length() > 7;
        String key = req.getHeader(WIRE.auth().header());
        if (!bearer && (key == null || key.isBlank())) {
            error(res, 401, "authentication_error", "x-api-key header is required");
            return;
        }
        String version = req.getHeader(ProviderWire.ANTHROPIC_VERSION_HEADER);
        if (version == null || version.isBlank()) {
            error(res, 400, "invalid_request_error", "anthropic-version: header is required");
            return;
        }
        if (behaviour.errorStatus() != 0) {
            failWith(res, behaviour);
            return;
        }
        String method = req.method().name();
        String path = req.path();
        if (method.equals("POST") && path.equals(WIRE.chatPath())) {
            messages(req, body, behaviour);
        } else if (method.equals("GET") && path.equals(WIRE.modelsPath())) {
            models(req, res);
        } else if (method.equals("GET") && path.startsWith(WIRE.modelsPath() + "/")) {
            String id = path.substring((WIRE.modelsPath() + "/").length());
            String resolved = ALIASES.getOrDefault(id, id);
            if (MODELS.containsKey(resolved)) {
                Json.send(res, 200, modelInfo(resolved));
            } else {
                error(res, 404, "not_found_error", "model: " + id);
            }
        } else {
            error(res, 404, "not_found_error", "Not Found");
        }
    }

    void messages(HttpServerRequest req, Buffer body, Behaviour behaviour) {
        HttpServerResponse res = req.response();
        ObjectNode request = Json.parseObject(body);
        if (request == null) {
            error(res, 400, "invalid_request_error", "There was an error parsing the body of your request.");
            return;
        }
        String problem = problem(request);
        if (problem != null) {
            error(res, 400, "invalid_request_error", problem);
            return;
        }
        Conversation conversation = conversation(request);
        boolean thinking = AnthropicThinking.enabled(request);
        Answer answer =
                promptCache.apply(request, AnthropicThinking.counted(Answer.of(conversation, behaviour), thinking));
        String model = ALIASES.getOrDefault(conversation.model(), conversation.model());
        if (request.path("stream").asBoolean(false)) {
            stream(req, model, answer, behaviour, thinking);
        } else {
            Json.send(res, 200, message(model, answer, thinking));
        }
    }
}
