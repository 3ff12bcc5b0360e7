package io.tokenhub.simulator.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.Conversation;
import io.tokenhub.simulator.Ids;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.SimulatedProvider;
import io.tokenhub.simulator.SseStream;
import io.tokenhub.simulator.TokenCounter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Anthropic's Messages API (https://docs.claude.com/en/api/messages), base URL {@code https://api.anthropic.com}:
 * {@code POST /v1/messages} as JSON or as the named-event SSE stream ({@code message_start},
 * {@code content_block_start|delta|stop} with {@code text_delta} and {@code input_json_delta}, {@code ping},
 * {@code message_delta} with stop reason and cumulative usage, {@code message_stop}, in-stream {@code error}), and
 * {@code GET /v1/models[/{id}]}. Needs {@code x-api-key} (or {@code Authorization: Bearer}) and
 * {@code anthropic-version}. Usage follows Anthropic's semantics: {@code input_tokens} excludes cache reads and
 * writes. Errors are {@code {"type":"error","error":{type,message},"request_id"}} with Anthropic's statuses, 529
 * {@code overloaded_error} included; every response carries a {@code request-id} header.
 */
public class AnthropicSimulator implements SimulatedProvider {

    /** MessageCreateParams' fields (anthropic-sdk-typescript), plus the sampling fields older models take. */
    private static final Set<String> FIELDS = Set.of(
            "model",
            "messages",
            "max_tokens",
            "system",
            "metadata",
            "stop_sequences",
            "stream",
            "temperature",
            "top_p",
            "top_k",
            "tools",
            "tool_choice",
            "thinking",
            "service_tier",
            "container",
            "mcp_servers",
            "output_config",
            "context_management",
            "inference_geo",
            "cache_control",
            "diagnostics",
            "speed",
            "user_profile_id",
            "workspace_id");

    /** Model ids and display names (https://docs.claude.com/en/docs/about-claude/models/overview). */
    private static final Map<String, String> MODELS = new LinkedHashMap<>();

    /** What the {@code -latest} aliases resolve to. */
    private static final Map<String, String> ALIASES = Map.of(
            "claude-3-5-sonnet-latest", "claude-3-5-sonnet-20241022",
            "claude-3-5-haiku-latest", "claude-3-5-haiku-20241022",
            "claude-3-opus-latest", "claude-3-opus-20240229");

    static {
        MODELS.put("claude-3-5-sonnet-20241022", "Claude Sonnet 3.5 (New)");
        MODELS.put("claude-3-5-haiku-20241022", "Claude Haiku 3.5");
        MODELS.put("claude-3-5-sonnet-20240620", "Claude Sonnet 3.5 (Old)");
        MODELS.put("claude-3-haiku-20240307", "Claude Haiku 3");
        MODELS.put("claude-3-opus-20240229", "Claude Opus 3");
    }

    @Override
    public String name() {
        return "anthropic";
    }

    @Override
    public String basePath() {
        return "";
    }

    @Override
    public void handle(HttpServerRequest req, Buffer body, Behaviour behaviour) {
        HttpServerResponse res = req.response().putHeader("request-id", requestId());
        String auth = req.getHeader("authorization");
        boolean bearer = auth != null && auth.startsWith("Bearer ") && auth.length() > 7;
        String key = req.getHeader("x-api-key");
        if (!bearer && (key == null || key.isBlank())) {
            error(res, 401, "authentication_error", "x-api-key header is required");
            return;
        }
        String version = req.getHeader("anthropic-version");
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
        if (method.equals("POST") && path.equals("/v1/messages")) {
            messages(req, body, behaviour);
        } else if (method.equals("GET") && path.equals("/v1/models")) {
            models(req, res);
        } else if (method.equals("GET") && path.startsWith("/v1/models/")) {
            String id = path.substring("/v1/models/".length());
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

    private void messages(HttpServerRequest req, Buffer body, Behaviour behaviour) {
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
        Answer answer = Answer.of(conversation, behaviour);
        String model = ALIASES.getOrDefault(conversation.model(), conversation.model());
        if (request.path("stream").asBoolean(false)) {
            stream(req, model, answer, behaviour);
        } else {
            Json.send(res, 200, message(model, answer));
        }
    }

    /** The first reason the real API would refuse the body with a 400, or null. */
    static String problem(ObjectNode request) {
        Iterator<String> names = request.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                return name + ": Extra inputs are not permitted";
            }
        }
        for (String required : List.of("model", "messages", "max_tokens")) {
            if (!request.hasNonNull(required)) {
                return required + ": Field required";
            }
        }
        if (!request.get("max_tokens").canConvertToInt()
                || request.get("max_tokens").intValue() < 0) {
            return "max_tokens: Input should be a valid integer greater than or equal to 0";
        }
        JsonNode temperature = request.get("temperature");
        if (temperature != null
                && temperature.isNumber()
                && (temperature.doubleValue() < 0 || temperature.doubleValue() > 1)) {
            return "temperature: Input should be less than or equal to 1";
        }
        JsonNode messages = request.get("messages");
        if (!messages.isArray()) {
            return "messages: Input should be a valid list";
        }
        for (int i = 0; i < messages.size(); i++) {
            String role = messages.get(i).path("role").asText();
            if (!role.equals("user") && !role.equals("assistant")) {
                return "messages." + i + ".role: Input should be 'user' or 'assistant'";
            }
        }
        return toolProblem(messages);
    }

    /**
     * Anthropic's pairing rule (https://docs.claude.com/en/docs/agents-and-tools/tool-use/implement-tool-use): every
     * {@code tool_use} is answered by a {@code tool_result} among the leading blocks of the very next user message,
     * and every {@code tool_result} answers a {@code tool_use} of the message right before it.
     */
    private static String toolProblem(JsonNode messages) {
        for (int i = 1; i < messages.size(); i++) {
            JsonNode content = messages.get(i).path("content");
            Set<String> previousCalls = toolUseIds(messages.get(i - 1));
            for (int j = 0; j < content.size(); j++) {
                JsonNode block = content.get(j);
                if ("tool_result".equals(block.path("type").asText())
                        && !previousCalls.contains(block.path("tool_use_id").asText())) {
                    return "messages." + i + ".content." + j + ": unexpected `tool_use_id` found in `tool_result` "
                            + "blocks: " + block.path("tool_use_id").asText() + ". Each `tool_result` block must "
                            + "have a corresponding `tool_use` block in the previous message.";
                }
            }
            Set<String> unanswered = new LinkedHashSet<>(previousCalls);
            for (int j = 0;
                    j < content.size()
                            && "tool_result".equals(content.get(j).path("type").asText());
                    j++) {
                unanswered.remove(content.get(j).path("tool_use_id").asText());
            }
            if (!unanswered.isEmpty()) {
                return "messages." + i + ": `tool_use` ids were found without `tool_result` blocks immediately "
                        + "after: " + String.join(", ", unanswered) + ". Each `tool_use` block must have a "
                        + "corresponding `tool_result` block in the next message.";
            }
        }
        return null;
    }

    private static Set<String> toolUseIds(JsonNode message) {
        Set<String> ids = new LinkedHashSet<>();
        if ("assistant".equals(message.path("role").asText())) {
            for (JsonNode block : message.path("content")) {
                if ("tool_use".equals(block.path("type").asText())) {
                    ids.add(block.path("id").asText());
                }
            }
        }
        return ids;
    }

    static Conversation conversation(ObjectNode request) {
        List<String> texts = new ArrayList<>();
        if (request.has("system")) {
            texts.add(text(request.get("system")));
        }
        JsonNode messages = request.get("messages");
        for (JsonNode message : messages) {
            texts.add(text(message.get("content")));
        }
        String toolResults = null;
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last != null && last.path("role").asText().equals("user")) {
            List<String> results = new ArrayList<>();
            for (JsonNode block : last.path("content")) {
                if ("tool_result".equals(block.path("type").asText())) {
                    results.add(text(block.get("content")));
                }
            }
            toolResults = results.isEmpty() ? null : String.join("\n", results);
        }
        JsonNode format = request.path("output_config").path("format");
        boolean json = "json_schema".equals(format.path("type").asText());
        return new Conversation(
                request.get("model").asText(),
                TokenCounter.prompt(texts),
                toolResults,
                json,
                json ? format.get("schema") : null,
                request.get("max_tokens").intValue(),
                1);
    }

    /** A string, or text blocks joined with any other block (image, tool_use, tool_result) as its JSON. */
    private static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            text.append(
                    "text".equals(block.path("type").asText())
                            ? block.path("text").asText()
                            : block.toString());
        }
        return text.toString();
    }

    private static ObjectNode message(String model, Answer answer) {
        ObjectNode message = Json.object()
                .put("model", model)
                .put("id", messageId())
                .put("type", "message")
                .put("role", "assistant");
        ArrayNode content = message.putArray("content");
        if (hasText(answer)) {
            content.addObject().put("type", "text").put("text", answer.text());
        }
        for (Answer.Call call : answer.toolCalls()) {
            ObjectNode block = content.addObject()
                    .put("type", "tool_use")
                    .put("id", toolUseId())
                    .put("name", call.name());
            block.set("input", call.arguments());
        }
        message.put("stop_reason", answer.finishReason(AnthropicSimulator::stopReason));
        message.putNull("stop_sequence");
        message.set("usage", usage(answer.usage(), answer.usage().completionTokens(), true));
        return message;
    }

    private static boolean hasText(Answer answer) {
        return answer.text() != null && !answer.text().isEmpty();
    }

    private static ObjectNode usage(Answer.Usage u, int outputTokens, boolean full) {
        ObjectNode usage = Json.object()
                .put("input_tokens", u.uncachedPromptTokens())
                .put("cache_creation_input_tokens", u.cacheCreationTokens())
                .put("cache_read_input_tokens", u.cachedTokens());
        if (full) {
            usage.putObject("cache_creation")
                    .put("ephemeral_5m_input_tokens", u.cacheCreationTokens())
                    .put("ephemeral_1h_input_tokens", 0);
        }
        usage.put("output_tokens", outputTokens);
        if (full) {
            usage.put("service_tier", "standard");
        }
        return usage;
    }

    private static void stream(HttpServerRequest req, String model, Answer answer, Behaviour behaviour) {
        SseStream stream = new SseStream();
        ObjectNode start = Json.object().put("type", "message_start");
        ObjectNode message = start.putObject("message")
                .put("model", model)
                .put("id", messageId())
                .put("type", "message")
                .put("role", "assistant");
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", usage(answer.usage(), 1, true));
        stream.add(SseStream.event("message_start", start.toString()));
        String ping = SseStream.event("ping", "{\"type\": \"ping\"}");
        int index = 0;
        if (hasText(answer)) {
            ObjectNode blockStart = blockStart(index);
            blockStart.putObject("content_block").put("type", "text").put("text", "");
            stream.add(SseStream.event("content_block_start", blockStart.toString()))
                    .add(ping);
            for (String piece : answer.textPieces()) {
                ObjectNode delta = blockDelta(index);
                delta.putObject("delta").put("type", "text_delta").put("text", piece);
                stream.content(SseStream.event("content_block_delta", delta.toString()));
            }
            stream.add(SseStream.event("content_block_stop", blockStop(index)));
            index++;
        } else {
            stream.add(ping);
        }
        for (Answer.Call call : answer.toolCalls()) {
            ObjectNode blockStart = blockStart(index);
            ObjectNode block = blockStart
                    .putObject("content_block")
                    .put("type", "tool_use")
                    .put("id", toolUseId())
                    .put("name", call.name());
            block.putObject("input");
            stream.add(SseStream.event("content_block_start", blockStart.toString()));
            List<String> fragments = new ArrayList<>();
            // Recorded streams open every tool input with an empty fragment.
            fragments.add("");
            fragments.addAll(Answer.argumentFragments(call.argumentsJson()));
            for (String fragment : fragments) {
                ObjectNode delta = blockDelta(index);
                delta.putObject("delta").put("type", "input_json_delta").put("partial_json", fragment);
                stream.content(SseStream.event("content_block_delta", delta.toString()));
            }
            stream.add(SseStream.event("content_block_stop", blockStop(index)));
            index++;
        }
        ObjectNode end = Json.object().put("type", "message_delta");
        end.putObject("delta")
                .put("stop_reason", answer.finishReason(AnthropicSimulator::stopReason))
                .putNull("stop_sequence");
        end.set("usage", usage(answer.usage(), answer.usage().completionTokens(), false));
        stream.add(SseStream.event("message_delta", end.toString()));
        stream.add(SseStream.event("message_stop", "{\"type\":\"message_stop\"}"));
        req.response()
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache");
        ObjectNode error = Json.object().put("type", "error");
        error.putObject("error").put("type", "overloaded_error").put("message", "Overloaded");
        stream.send(req, behaviour, SseStream.event("error", error.toString()));
    }

    private static ObjectNode blockStart(int index) {
        return Json.object().put("type", "content_block_start").put("index", index);
    }

    private static ObjectNode blockDelta(int index) {
        return Json.object().put("type", "content_block_delta").put("index", index);
    }

    private static String blockStop(int index) {
        return Json.object()
                .put("type", "content_block_stop")
                .put("index", index)
                .toString();
    }

    private static String stopReason(Answer.Finish finish) {
        return switch (finish) {
            case STOP -> "end_turn";
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
        };
    }

    /** {@code GET /v1/models} with the API's cursor paging ({@code limit}, {@code after_id}, {@code before_id}). */
    private static void models(HttpServerRequest req, HttpServerResponse res) {
        List<String> ids = new ArrayList<>(MODELS.keySet());
        int from = 0;
        int to = ids.size();
        String after = req.getParam("after_id");
        String before = req.getParam("before_id");
        if (after != null && ids.contains(after)) {
            from = ids.indexOf(after) + 1;
        }
        if (before != null && ids.contains(before)) {
            to = ids.indexOf(before);
        }
        int limit = 20;
        try {
            limit = req.getParam("limit") == null ? 20 : Integer.parseInt(req.getParam("limit"));
        } catch (NumberFormatException e) {
            error(res, 400, "invalid_request_error", "limit: Input should be a valid integer");
            return;
        }
        if (limit < 1 || limit > 1000) {
            error(res, 400, "invalid_request_error", "limit: Input should be between 1 and 1000");
            return;
        }
        List<String> page = ids.subList(from, Math.max(from, Math.min(to, from + limit)));
        ObjectNode out = Json.object();
        ArrayNode data = out.putArray("data");
        page.forEach(id -> data.add(modelInfo(id)));
        out.put("has_more", from + page.size() < to);
        out.put("first_id", page.isEmpty() ? null : page.get(0));
        out.put("last_id", page.isEmpty() ? null : page.get(page.size() - 1));
        Json.send(res, 200, out);
    }

    private static ObjectNode modelInfo(String id) {
        String date = id.substring(id.length() - 8);
        return Json.object()
                .put("type", "model")
                .put("id", id)
                .put("display_name", MODELS.get(id))
                .put(
                        "created_at",
                        date.substring(0, 4) + "-" + date.substring(4, 6) + "-" + date.substring(6) + "T00:00:00Z");
    }

    /** The bodies Anthropic sends per status (https://docs.claude.com/en/api/errors). */
    private static void failWith(HttpServerResponse res, Behaviour behaviour) {
        int status = behaviour.errorStatus();
        switch (status) {
            case 400 -> error(res, 400, "invalid_request_error", "Invalid request.");
            case 401 -> error(res, 401, "authentication_error", "invalid x-api-key");
            case 402 ->
                error(
                        res,
                        402,
                        "billing_error",
                        "Your credit balance is too low to access the Anthropic "
                                + "API. Please go to Plans & Billing to upgrade or purchase credits.");
            case 403 ->
                error(
                        res,
                        403,
                        "permission_error",
                        "Your API key does not have permission to use the " + "specified resource.");
            case 404 -> error(res, 404, "not_found_error", "The requested resource could not be found.");
            case 413 -> error(res, 413, "request_too_large", "Request exceeds the maximum allowed number of bytes.");
            case 429 -> {
                if (behaviour.retryAfter() > 0) {
                    res.putHeader("retry-after", Integer.toString(behaviour.retryAfter()));
                }
                res.putHeader("anthropic-ratelimit-requests-limit", "4000")
                        .putHeader("anthropic-ratelimit-requests-remaining", "0");
                error(
                        res,
                        429,
                        "rate_limit_error",
                        "Number of request tokens has exceeded your per-minute rate "
                                + "limit (https://docs.claude.com/en/api/rate-limits); see the response headers for current "
                                + "usage. Please reduce the prompt length or the maximum tokens requested, or try again "
                                + "later.");
            }
            case 504 -> error(res, 504, "timeout_error", "Request timed out.");
            case 529 -> error(res, 529, "overloaded_error", "Overloaded");
            default -> {
                if (status < 500) {
                    error(res, status, "invalid_request_error", "Invalid request.");
                } else {
                    error(res, status, "api_error", "Internal server error");
                }
            }
        }
    }

    private static void error(HttpServerResponse res, int status, String type, String message) {
        ObjectNode body = Json.object().put("type", "error");
        body.putObject("error").put("type", type).put("message", message);
        body.put("request_id", res.headers().get("request-id"));
        Json.send(res, status, body);
    }

    private static String requestId() {
        return "req_011C" + Ids.alphanumeric(20);
    }

    private static String messageId() {
        return "msg_01" + Ids.alphanumeric(22);
    }

    private static String toolUseId() {
        return "toolu_01" + Ids.alphanumeric(22);
    }
}
