package io.tokenhub.simulator.anthropic;

import static io.tokenhub.simulator.anthropic.AnthropicAnswers.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Conversation;
import io.tokenhub.simulator.TokenCounter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What Anthropic's Messages API refuses with a 400, and how a valid request reads as a {@link io.tokenhub.simulator.Conversation}. */
final class AnthropicRequests {

    private AnthropicRequests() {}

    /** MessageCreateParams' fields (anthropic-sdk-typescript), plus the sampling fields older models take. */
    static final Set<String> FIELDS = Set.of(
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
        String thinking = AnthropicThinking.problem(request);
        return thinking != null ? thinking : toolProblem(messages);
    }

    /**
     * Anthropic's pairing rule (https://docs.claude.com/en/docs/agents-and-tools/tool-use/implement-tool-use): every
     * {@code tool_use} is answered by a {@code tool_result} among the leading blocks of the very next user message,
     * and every {@code tool_result} answers a {@code tool_use} of the message right before it.
     */
    static String toolProblem(JsonNode messages) {
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

    static Set<String> toolUseIds(JsonNode message) {
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
    static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            text.append(block(block));
        }
        return text.toString();
    }

    /** One content block as prompt text: a text block's text, any other block as its JSON. */
    static String block(JsonNode block) {
        return "text".equals(block.path("type").asText()) ? block.path("text").asText() : block.toString();
    }
}
