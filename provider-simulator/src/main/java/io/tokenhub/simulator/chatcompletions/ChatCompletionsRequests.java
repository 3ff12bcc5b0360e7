package io.tokenhub.simulator.chatcompletions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Conversation;
import io.tokenhub.simulator.TokenCounter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reading a Chat Completions request the three dialects share: the {@link io.tokenhub.simulator.Conversation} and the tool call pairing rule. */
public final class ChatCompletionsRequests {

    private ChatCompletionsRequests() {}

    /** Reads an already validated request: {@code model} and a non-empty {@code messages} array are present. */
    public static Conversation conversation(ObjectNode request) {
        JsonNode messages = request.get("messages");
        List<String> texts = new ArrayList<>(messages.size() + 1);
        for (JsonNode message : messages) {
            StringBuilder text = new StringBuilder(contentText(message.get("content")));
            if (message.path("tool_calls").isArray()) {
                text.append(message.get("tool_calls"));
            }
            texts.add(text.toString());
        }
        JsonNode format = request.path("response_format");
        String formatType = format.path("type").asText("text");
        boolean json = formatType.equals("json_object") || formatType.equals("json_schema");
        JsonNode schema =
                formatType.equals("json_schema") ? format.path("json_schema").get("schema") : null;
        JsonNode max = request.hasNonNull("max_completion_tokens")
                ? request.get("max_completion_tokens")
                : request.get("max_tokens");
        Integer maxTokens = max != null && max.canConvertToInt() ? max.intValue() : null;
        int n = request.path("n").canConvertToInt()
                ? Math.max(1, request.get("n").intValue())
                : 1;
        return new Conversation(
                request.get("model").asText(),
                TokenCounter.prompt(texts),
                trailingToolResults(messages),
                json,
                schema,
                maxTokens,
                n);
    }

    /** Text parts joined; any other part (image, audio, file) as its JSON, so it still costs prompt tokens. */
    public static String contentText(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            text.append(
                    "text".equals(part.path("type").asText())
                            ? part.path("text").asText()
                            : part.toString());
        }
        return text.toString();
    }

    public static String trailingToolResults(JsonNode messages) {
        int first = messages.size();
        while (first > 0 && "tool".equals(messages.get(first - 1).path("role").asText())) {
            first--;
        }
        if (first == messages.size()) {
            return null;
        }
        List<String> results = new ArrayList<>();
        for (int i = first; i < messages.size(); i++) {
            results.add(contentText(messages.get(i).get("content")));
        }
        return String.join("\n", results);
    }

    /**
     * Where tool calls and tool results do not pair up: a {@code tool} message whose {@code tool_call_id} no earlier
     * assistant turn issued, or an assistant turn whose calls are not all answered before the next non-tool message.
     *
     * @param messageIndex the offending message
     * @param orphanResult true for a tool result without its call, false for calls without results
     * @param ids the tool call ids concerned
     */
    public record ToolPairingProblem(int messageIndex, boolean orphanResult, List<String> ids) {}

    /** The first tool pairing problem in {@code messages}, or null. */
    public static ToolPairingProblem toolPairingProblem(JsonNode messages) {
        Set<String> open = new LinkedHashSet<>();
        Set<String> issued = new HashSet<>();
        int callingTurn = -1;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String role = message.path("role").asText();
            if (role.equals("tool")) {
                String id = message.path("tool_call_id").asText();
                if (!issued.contains(id)) {
                    return new ToolPairingProblem(i, true, List.of(id));
                }
                open.remove(id);
                continue;
            }
            if (!open.isEmpty()) {
                return new ToolPairingProblem(callingTurn, false, List.copyOf(open));
            }
            if (role.equals("assistant") && message.path("tool_calls").isArray()) {
                callingTurn = i;
                for (JsonNode call : message.get("tool_calls")) {
                    open.add(call.path("id").asText());
                    issued.add(call.path("id").asText());
                }
            }
        }
        return null;
    }
}
