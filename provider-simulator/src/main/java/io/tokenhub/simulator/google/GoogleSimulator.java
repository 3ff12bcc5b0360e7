package io.tokenhub.simulator.google;

import static io.tokenhub.simulator.google.GoogleAnswers.MODELS;
import static io.tokenhub.simulator.google.GoogleAnswers.batchEmbed;
import static io.tokenhub.simulator.google.GoogleAnswers.candidate;
import static io.tokenhub.simulator.google.GoogleAnswers.embed;
import static io.tokenhub.simulator.google.GoogleAnswers.getModel;
import static io.tokenhub.simulator.google.GoogleAnswers.listModels;
import static io.tokenhub.simulator.google.GoogleAnswers.model;
import static io.tokenhub.simulator.google.GoogleAnswers.parts;
import static io.tokenhub.simulator.google.GoogleAnswers.signs;
import static io.tokenhub.simulator.google.GoogleAnswers.usage;
import static io.tokenhub.simulator.google.GoogleFailures.error;
import static io.tokenhub.simulator.google.GoogleFailures.failWith;
import static io.tokenhub.simulator.google.GoogleFailures.invalidArgument;
import static io.tokenhub.simulator.google.GoogleFailures.notFound;
import static io.tokenhub.simulator.google.GoogleRequests.conversation;
import static io.tokenhub.simulator.google.GoogleRequests.problem;
import static io.tokenhub.simulator.google.GoogleStreams.stream;

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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Google's Gemini API, Generative Language v1beta (https://ai.google.dev/api), base URL
 * {@code https://generativelanguage.googleapis.com}: {@code POST /v1beta/models/{model}:generateContent},
 * {@code :streamGenerateContent} ({@code ?alt=sse} for SSE with CRLF framing and no terminator, else one JSON array),
 * {@code :batchEmbedContents}, {@code :embedContent}, and {@code GET /v1beta/models[/{model}]}. Auth by
 * {@code x-goog-api-key} (or {@code ?key=}). Every chunk of a stream is a whole {@code GenerateContentResponse};
 * only the last has {@code finishReason} and {@code candidatesTokenCount}. A function call finishes with {@code STOP}
 * and carries no id, as the real API does. Gemini 3 models sign their first text part and first function call with a
 * {@code thoughtSignature} and refuse a continued tool-call turn whose calls lost theirs, as the real API does.
 * Errors are {@code {"error": {code, message, status, details}}}; a 429 puts its retry delay in a
 * {@code google.rpc.RetryInfo} detail, not in a header.
 */
public class GoogleSimulator implements SimulatedProvider {

    private static final ProviderWire WIRE = ProviderWire.of(Provider.GOOGLE);

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
        String key = req.getHeader(WIRE.auth().header());
        if ((key == null || key.isBlank()) && req.getParam("key") == null) {
            error(
                    res,
                    403,
                    "PERMISSION_DENIED",
                    "Method doesn't allow unregistered callers (callers without "
                            + "established identity). Please use API Key or other form of API consumer identity to call "
                            + "this API.",
                    null);
            return;
        }
        if (behaviour.errorStatus() != 0) {
            failWith(res, behaviour, req.path());
            return;
        }
        String method = req.method().name();
        String path = req.path();
        if (method.equals("GET") && path.equals(WIRE.modelsPath())) {
            listModels(req, res);
            return;
        }
        if (!path.startsWith(WIRE.modelsPath() + "/")) {
            notFound(res, path);
            return;
        }
        String resource = path.substring(WIRE.modelsPath().length() + 1);
        int colon = resource.lastIndexOf(':');
        String model = colon < 0 ? resource : resource.substring(0, colon);
        String action = colon < 0 ? "" : resource.substring(colon + 1);
        switch (method + " " + action) {
            case "GET " -> getModel(res, model);
            case "POST generateContent" -> generate(req, body, behaviour, model, false);
            case "POST streamGenerateContent" -> generate(req, body, behaviour, model, true);
            case "POST batchEmbedContents" -> batchEmbed(res, body, model);
            case "POST embedContent" -> embed(res, body, model);
            default -> notFound(res, path);
        }
    }

    void generate(HttpServerRequest req, Buffer body, Behaviour behaviour, String model, boolean stream) {
        HttpServerResponse res = req.response();
        ObjectNode request = Json.parseObject(body);
        if (request == null) {
            invalidArgument(res, "Invalid JSON payload received. Unexpected token.");
            return;
        }
        String problem = problem(request, model);
        if (problem != null) {
            invalidArgument(res, problem);
            return;
        }
        Conversation conversation = conversation(request, model);
        Answer answer = Answer.of(conversation, behaviour);
        String version = MODELS.containsKey(model) ? MODELS.get(model).version() : model;
        String responseId = Ids.alphanumeric(23);
        if (!stream) {
            ObjectNode out = Json.object();
            ArrayNode candidates = out.putArray("candidates");
            for (int i = 0; i < conversation.choices(); i++) {
                candidates.add(candidate(i, answer, parts(answer.text(), answer.toolCalls(), signs(model)), true));
            }
            out.set("usageMetadata", usage(answer.usage(), true));
            out.put("modelVersion", version).put("responseId", responseId);
            Json.send(res, 200, out);
            return;
        }
        stream(req, behaviour, conversation, answer, version, responseId);
    }
}
