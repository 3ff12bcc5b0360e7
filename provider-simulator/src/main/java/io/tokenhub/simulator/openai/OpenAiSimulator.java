package io.tokenhub.simulator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.SimulatedProvider;
import io.tokenhub.simulator.TokenCounter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's Chat Completions API (https://platform.openai.com/docs/api-reference/chat) as the official SDKs see it:
 * the same paths under the base URL {@code .../v1}, the same JSON, the same SSE framing with {@code data: [DONE]},
 * the usage chunk with {@code choices: []} only when {@code stream_options.include_usage} is set, and errors as
 * {@code {"error": {message, type, param, code}}}.
 */
public class OpenAiSimulator implements SimulatedProvider {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String FINGERPRINT = "fp_7fcd609668";

    /** The dated snapshot OpenAI answers with when a request names an alias. */
    private static final Map<String, String> SNAPSHOTS = Map.of(
            "gpt-4o", "gpt-4o-2024-08-06",
            "gpt-4o-mini", "gpt-4o-mini-2024-07-18",
            "o1", "o1-2024-12-17",
            "o3", "o3-2025-04-16",
            "o3-mini", "o3-mini-2025-01-31");

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public void handle(HttpServerRequest req, Buffer body, Behaviour behaviour) {
        String auth = req.getHeader("authorization");
        if (auth == null || !auth.startsWith("Bearer ") || auth.length() <= 7) {
            error(req.response(), 401, "You didn't provide an API key. You need to provide your API key in an "
                    + "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                    "invalid_request_error", null, null);
            return;
        }
        String route = req.method().name() + " " + req.path();
        switch (route) {
            case "POST /v1/chat/completions" -> chat(req, body, behaviour);
            case "GET /v1/models" -> models(req.response());
            default -> error(req.response(), 404, "Invalid URL (" + route + ")", "invalid_request_error", null,
                    null);
        }
    }

    private void chat(HttpServerRequest req, Buffer body, Behaviour behaviour) {
        HttpServerResponse res = req.response();
        JsonNode request;
        try {
            request = JSON.readTree(body.getBytes());
        } catch (IOException e) {
            error(res, 400, "We could not parse the JSON body of your request.", "invalid_request_error", null,
                    null);
            return;
        }
        if (request == null || !request.isObject() || !request.path("model").isTextual()) {
            error(res, 400, "you must provide a model parameter", "invalid_request_error", null, null);
            return;
        }
        JsonNode messages = request.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            error(res, 400, "[] is too short - 'messages'", "invalid_request_error", "messages", null);
            return;
        }
        if (behaviour.errorStatus() != 0) {
            failWith(res, behaviour.errorStatus());
            return;
        }
        String model = request.get("model").asText();
        String answeredModel = SNAPSHOTS.getOrDefault(model, model);
        int promptTokens = promptTokens(messages);
        String reply = behaviour.replyText();
        String id = "chatcmpl-" + randomId(29);
        long created = System.currentTimeMillis() / 1000;
        if (request.path("stream").asBoolean(false)) {
            boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
            stream(req, new StreamState(id, created, answeredModel, includeUsage, promptTokens, reply), behaviour);
            return;
        }
        ObjectNode message = JSON.createObjectNode().put("role", "assistant").put("content", reply);
        message.putNull("refusal");
        message.putArray("annotations");
        ObjectNode choice = JSON.createObjectNode().put("index", 0);
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        ObjectNode out = JSON.createObjectNode().put("id", id).put("object", "chat.completion")
                .put("created", created).put("model", answeredModel);
        out.putArray("choices").add(choice);
        out.set("usage", usage(promptTokens, TokenCounter.count(reply)));
        out.put("service_tier", "default").put("system_fingerprint", FINGERPRINT);
        res.putHeader("content-type", "application/json").putHeader("x-request-id", "req_" + randomId(32))
                .end(out.toString());
    }

    private record StreamState(String id, long created, String model, boolean includeUsage, int promptTokens,
            String reply) {
    }

    private void stream(HttpServerRequest req, StreamState s, Behaviour behaviour) {
        HttpServerResponse res = req.response();
        res.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache").putHeader("x-request-id", "req_" + randomId(32));
        List<String> events = new ArrayList<>();
        ObjectNode roleDelta = JSON.createObjectNode().put("role", "assistant").put("content", "");
        roleDelta.putNull("refusal");
        events.add(chunk(s, roleDelta, null).toString());
        List<String> pieces = pieces(s.reply());
        for (int i = 0; i < pieces.size(); i++) {
            events.add(chunk(s, JSON.createObjectNode().put("content", pieces.get(i)), null).toString());
            if (behaviour.failMidStream() && i == 0) {
                events.add("{\"error\":{\"message\":\"The server had an error while processing your request. "
                        + "Sorry about that!\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
                sendEvents(req, events, behaviour.chunkDelayMs());
                return;
            }
        }
        events.add(chunk(s, JSON.createObjectNode(), "stop").toString());
        if (s.includeUsage()) {
            ObjectNode usageChunk = JSON.createObjectNode().put("id", s.id()).put("object", "chat.completion.chunk")
                    .put("created", s.created()).put("model", s.model()).put("service_tier", "default")
                    .put("system_fingerprint", FINGERPRINT);
            usageChunk.putArray("choices");
            usageChunk.set("usage", usage(s.promptTokens(), TokenCounter.count(s.reply())));
            events.add(usageChunk.toString());
        }
        events.add("[DONE]");
        sendEvents(req, events, behaviour.chunkDelayMs());
    }

    private void sendEvents(HttpServerRequest req, List<String> events, long delayMs) {
        HttpServerResponse res = req.response();
        if (delayMs <= 0) {
            StringBuilder sb = new StringBuilder();
            events.forEach(e -> sb.append("data: ").append(e).append("\n\n"));
            res.end(sb.toString());
            return;
        }
        sendOneByOne(req, events, 0, delayMs);
    }

    private void sendOneByOne(HttpServerRequest req, List<String> events, int index, long delayMs) {
        HttpServerResponse res = req.response();
        if (res.closed() || res.ended()) {
            return;
        }
        if (index == events.size()) {
            res.end();
            return;
        }
        res.write("data: " + events.get(index) + "\n\n");
        io.vertx.core.Vertx.currentContext().owner().setTimer(delayMs, t -> sendOneByOne(req, events, index + 1, delayMs));
    }

    private static ObjectNode chunk(StreamState s, ObjectNode delta, String finishReason) {
        ObjectNode choice = JSON.createObjectNode().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        ObjectNode chunk = JSON.createObjectNode().put("id", s.id()).put("object", "chat.completion.chunk")
                .put("created", s.created()).put("model", s.model()).put("service_tier", "default")
                .put("system_fingerprint", FINGERPRINT);
        chunk.putArray("choices").add(choice);
        if (s.includeUsage()) {
            chunk.putNull("usage");
        }
        return chunk;
    }

    /** Word-sized pieces, each keeping its leading space, the way real streams split text. */
    private static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                out.add(text.substring(start, i));
                start = i;
            }
        }
        return out;
    }

    private static int promptTokens(JsonNode messages) {
        int tokens = 3;
        for (JsonNode m : messages) {
            tokens += 3 + TokenCounter.count(m.path("content").isTextual() ? m.path("content").asText()
                    : m.path("content").toString());
        }
        return tokens;
    }

    private static ObjectNode usage(int prompt, int completion) {
        ObjectNode usage = JSON.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        usage.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        return usage;
    }

    private static void models(HttpServerResponse res) {
        ObjectNode out = JSON.createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        SNAPSHOTS.keySet().stream().sorted().forEach(id -> data.addObject().put("id", id).put("object", "model")
                .put("created", 1715367049L).put("owned_by", "system"));
        res.putHeader("content-type", "application/json").end(out.toString());
    }

    /** The bodies OpenAI sends for each failure status (https://platform.openai.com/docs/guides/error-codes). */
    private static void failWith(HttpServerResponse res, int status) {
        switch (status) {
            case 400 -> error(res, 400, "Invalid request.", "invalid_request_error", null, null);
            case 401 -> error(res, 401, "Incorrect API key provided.", "invalid_request_error", null,
                    "invalid_api_key");
            case 404 -> error(res, 404, "The model does not exist or you do not have access to it.",
                    "invalid_request_error", null, "model_not_found");
            case 429 -> {
                res.putHeader("retry-after", "2").putHeader("x-ratelimit-limit-requests", "10000")
                        .putHeader("x-ratelimit-remaining-requests", "0")
                        .putHeader("x-ratelimit-reset-requests", "2s");
                error(res, 429, "Rate limit reached for requests. Please try again in 2s.", "requests", null,
                        "rate_limit_exceeded");
            }
            case 503 -> error(res, 503, "The engine is currently overloaded, please try again later.",
                    "server_error", null, null);
            default -> error(res, status, "The server had an error while processing your request. "
                    + "Sorry about that!", "server_error", null, null);
        }
    }

    private static void error(HttpServerResponse res, int status, String message, String type, String param,
            String code) {
        ObjectNode err = JSON.createObjectNode();
        ObjectNode e = err.putObject("error").put("message", message).put("type", type);
        e.put("param", param);
        e.put("code", code);
        res.setStatusCode(status).putHeader("content-type", "application/json").end(err.toString());
    }

    private static String randomId(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
