package io.tokenhub.simulator.anthropic;

import static io.tokenhub.simulator.anthropic.AnthropicFailures.error;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.Ids;
import io.tokenhub.simulator.Json;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Anthropic's non-streaming bodies: the {@code message}, its usage, and the model list with cursor paging. */
final class AnthropicAnswers {

    private AnthropicAnswers() {}

    /** Model ids and display names (https://docs.claude.com/en/docs/about-claude/models/overview). */
    static final Map<String, String> MODELS = new LinkedHashMap<>();

    /** What the {@code -latest} aliases resolve to. */
    static final Map<String, String> ALIASES = Map.of(
            "claude-sonnet-4-5", "claude-sonnet-4-5-20250929",
            "claude-opus-4-1", "claude-opus-4-1-20250805",
            "claude-haiku-4-5", "claude-haiku-4-5-20251001",
            "claude-3-5-sonnet-latest", "claude-3-5-sonnet-20241022",
            "claude-3-5-haiku-latest", "claude-3-5-haiku-20241022",
            "claude-3-opus-latest", "claude-3-opus-20240229");

    static {
        MODELS.put("claude-opus-4-7", "Claude Opus 4.7");
        MODELS.put("claude-sonnet-4-6", "Claude Sonnet 4.6");
        MODELS.put("claude-haiku-4-5-20251001", "Claude Haiku 4.5");
        MODELS.put("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5");
        MODELS.put("claude-opus-4-1-20250805", "Claude Opus 4.1");
        MODELS.put("claude-3-5-sonnet-20241022", "Claude Sonnet 3.5 (New)");
        MODELS.put("claude-3-5-haiku-20241022", "Claude Haiku 3.5");
        MODELS.put("claude-3-5-sonnet-20240620", "Claude Sonnet 3.5 (Old)");
        MODELS.put("claude-3-haiku-20240307", "Claude Haiku 3");
        MODELS.put("claude-3-opus-20240229", "Claude Opus 3");
    }

    /** A message; with {@code thinking}, its thinking block first. */
    static ObjectNode message(String model, Answer answer, boolean thinking) {
        ObjectNode message = Json.object()
                .put("model", model)
                .put("id", messageId())
                .put("type", "message")
                .put("role", "assistant");
        ArrayNode content = message.putArray("content");
        if (thinking) {
            content.add(AnthropicThinking.block());
        }
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
        message.put("stop_reason", answer.finishReason(AnthropicAnswers::stopReason));
        message.putNull("stop_sequence");
        message.set("usage", usage(answer.usage(), answer.usage().completionTokens(), true));
        return message;
    }

    static boolean hasText(Answer answer) {
        return answer.text() != null && !answer.text().isEmpty();
    }

    static ObjectNode usage(Answer.Usage u, int outputTokens, boolean full) {
        ObjectNode usage = Json.object()
                .put("input_tokens", u.uncachedPromptTokens())
                .put("cache_creation_input_tokens", u.cacheCreationTokens())
                .put("cache_read_input_tokens", u.cachedTokens());
        if (full) {
            usage.putObject("cache_creation")
                    .put("ephemeral_5m_input_tokens", u.cacheCreationTokens() - u.cacheCreation1hTokens())
                    .put("ephemeral_1h_input_tokens", u.cacheCreation1hTokens());
        }
        usage.put("output_tokens", outputTokens);
        if (full) {
            usage.put("service_tier", "standard");
        }
        return usage;
    }

    static String stopReason(Answer.Finish finish) {
        return switch (finish) {
            case STOP -> "end_turn";
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
        };
    }

    /** {@code GET /v1/models} with the API's cursor paging ({@code limit}, {@code after_id}, {@code before_id}). */
    static void models(HttpServerRequest req, HttpServerResponse res) {
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

    static ObjectNode modelInfo(String id) {
        String date = id.substring(id.length() - 8);
        return Json.object()
                .put("type", "model")
                .put("id", id)
                .put("display_name", MODELS.get(id))
                .put(
                        "created_at",
                        date.substring(0, 4) + "-" + date.substring(4, 6) + "-" + date.substring(6) + "T00:00:00Z");
    }

    static String messageId() {
        return "msg_01" + Ids.alphanumeric(22);
    }

    static String toolUseId() {
        return "toolu_01" + Ids.alphanumeric(22);
    }
}
