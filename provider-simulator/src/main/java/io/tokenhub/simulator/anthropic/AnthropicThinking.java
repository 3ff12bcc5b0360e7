package io.tokenhub.simulator.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.TokenCounter;
import java.util.List;

/**
 * Extended thinking (https://docs.claude.com/en/docs/build-with-claude/extended-thinking): a request with
 * {@code thinking: {type: enabled}} is answered with one thinking block, a fixed text with a signature, before the
 * answer; its tokens are output tokens, as Anthropic bills them. What Anthropic refuses with thinking is refused the same
 * way: a budget under 1024 tokens or not under {@code max_tokens}, a temperature other than 1, and an earlier thinking
 * block sent back without its signature (redacted thinking without its data).
 */
final class AnthropicThinking {

    /** The thinking text, the same for every answer so tests can expect it. */
    static final String TEXT = "The user wants an answer; let me think it through before replying.";
    /** Stands in for Anthropic's signature, which only Anthropic can check; a client must send it back unchanged. */
    static final String SIGNATURE = "EqQBCgIYAhIMsimulatedThinkingSignatureGgwWxYzAbCdEf0123456789";

    private static final int MIN_BUDGET = 1024;

    private AnthropicThinking() {}

    static boolean enabled(ObjectNode request) {
        return "enabled".equals(request.path("thinking").path("type").asText());
    }

    /** The answer with the thinking's tokens added to its output, when thinking is on. */
    static Answer counted(Answer answer, boolean thinking) {
        if (!thinking) {
            return answer;
        }
        Answer.Usage u = answer.usage();
        return new Answer(
                answer.text(),
                answer.toolCalls(),
                answer.finish(),
                answer.finishOverride(),
                new Answer.Usage(
                        u.promptTokens(),
                        u.completionTokens() + TokenCounter.count(TEXT),
                        u.cachedTokens(),
                        u.cacheCreationTokens(),
                        u.cacheCreation1hTokens()));
    }

    /** The whole thinking block of a message. */
    static ObjectNode block() {
        return Json.object().put("type", "thinking").put("thinking", TEXT).put("signature", SIGNATURE);
    }

    /** The thinking text in word-sized pieces, as {@code thinking_delta}s carry it. */
    static List<String> pieces() {
        return List.of(TEXT.split("(?<= )"));
    }

    /** The first reason Anthropic would refuse the request's thinking with a 400, or null. */
    static String problem(ObjectNode request) {
        if (enabled(request)) {
            JsonNode budget = request.path("thinking").path("budget_tokens");
            if (!budget.canConvertToInt() || budget.intValue() < MIN_BUDGET) {
                return "thinking.enabled.budget_tokens: Input should be greater than or equal to " + MIN_BUDGET;
            }
            if (budget.intValue() >= request.path("max_tokens").intValue()) {
                return "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation "
                        + "at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-"
                        + "context-window-size";
            }
            JsonNode temperature = request.path("temperature");
            if (temperature.isNumber() && temperature.doubleValue() != 1) {
                return "`temperature` may only be set to 1 when thinking is enabled. Please consult our "
                        + "documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking";
            }
        }
        JsonNode messages = request.path("messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode content = messages.get(i).path("content");
            for (int j = 0; j < content.size(); j++) {
                JsonNode block = content.get(j);
                String type = block.path("type").asText();
                String field = type.equals("thinking") ? "signature" : type.equals("redacted_thinking") ? "data" : null;
                if (field != null && !block.path(field).isTextual()) {
                    return "messages." + i + ".content." + j + "." + type + "." + field + ": Field required";
                }
            }
        }
        return null;
    }
}
