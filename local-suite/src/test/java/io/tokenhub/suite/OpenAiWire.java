package io.tokenhub.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A strict reading of what an OpenAI client accepts, written from OpenAI's API reference (the
 * {@code CreateChatCompletionResponse}, {@code CreateChatCompletionStreamResponse}, {@code CreateEmbeddingResponse}
 * and {@code ErrorResponse} schemas) and never from TokenHub's code, so it can be the oracle of the suite-wide tests.
 * Each check returns what is wrong, or nothing when the body is valid.
 */
final class OpenAiWire {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FINISH_REASONS =
            Set.of("stop", "length", "tool_calls", "content_filter", "function_call");

    private OpenAiWire() {}

    /** A non-streamed chat completion: an answer with content or tool calls, and consistent usage. */
    static Optional<String> chatCompletion(String body) {
        List<String> problems = new ArrayList<>();
        JsonNode root = parse(body, problems);
        if (root == null) {
            return describe(problems, body);
        }
        expect(problems, "chat.completion".equals(root.path("object").asText()), "object is not chat.completion");
        expect(problems, nonBlank(root.path("id")), "no id");
        expect(problems, root.path("created").isIntegralNumber(), "created is not an integer");
        expect(problems, nonBlank(root.path("model")), "no model");
        JsonNode choices = root.path("choices");
        expect(problems, choices.isArray() && !choices.isEmpty(), "no choices");
        for (int i = 0; i < choices.size(); i++) {
            JsonNode choice = choices.get(i);
            expect(problems, choice.path("index").asInt(-1) == i, "choice " + i + " has index " + choice.path("index"));
            expect(
                    problems,
                    FINISH_REASONS.contains(choice.path("finish_reason").asText()),
                    "choice " + i + " finish_reason " + choice.path("finish_reason"));
            JsonNode message = choice.path("message");
            expect(problems, "assistant".equals(message.path("role").asText()), "choice " + i + " role");
            JsonNode content = message.path("content");
            expect(
                    problems,
                    content.isTextual() || content.isNull(),
                    "choice " + i + " content is " + content.getNodeType());
            boolean hasText = content.isTextual() && !content.asText().isEmpty();
            boolean hasTools = message.path("tool_calls").isArray()
                    && !message.path("tool_calls").isEmpty();
            boolean cutShort = Set.of("length", "content_filter")
                    .contains(choice.path("finish_reason").asText());
            expect(
                    problems,
                    hasText || hasTools || cutShort || message.path("refusal").isTextual(),
                    "choice " + i + " has neither content nor tool calls");
            if (hasTools) {
                for (JsonNode call : message.path("tool_calls")) {
                    toolCall(call, problems, "choice " + i);
                }
            }
        }
        usage(root.path("usage"), problems, true);
        return describe(problems, body);
    }

    /**
     * A streamed chat completion as the whole SSE body: {@code data:} events of {@code chat.completion.chunk}
     * objects sharing one id, ending in exactly one {@code data: [DONE]}, with no error event.
     */
    static Optional<String> chatStream(String body) {
        List<String> problems = new ArrayList<>();
        List<String> data = new ArrayList<>();
        for (String line : body.split("\r?\n")) {
            if (line.isEmpty() || line.startsWith(":")) {
                continue;
            }
            if (!line.startsWith("data: ")) {
                problems.add("not an SSE data line: " + abbreviate(line));
                continue;
            }
            data.add(line.substring("data: ".length()));
        }
        expect(problems, !data.isEmpty() && "[DONE]".equals(data.get(data.size() - 1)), "does not end in [DONE]");
        expect(problems, data.stream().filter("[DONE]"::equals).count() == 1, "[DONE] is not sent exactly once");
        String id = null;
        boolean anyDelta = false;
        for (String event : data) {
            if ("[DONE]".equals(event)) {
                continue;
            }
            JsonNode chunk = parse(event, problems);
            if (chunk == null) {
                continue;
            }
            if (chunk.has("error")) {
                problems.add("error event in the stream: " + abbreviate(event));
                continue;
            }
            expect(
                    problems,
                    "chat.completion.chunk".equals(chunk.path("object").asText()),
                    "object is not chat.completion.chunk: " + abbreviate(event));
            expect(problems, nonBlank(chunk.path("id")), "chunk without id");
            id = id == null ? chunk.path("id").asText() : id;
            expect(problems, id.equals(chunk.path("id").asText()), "chunks carry different ids");
            expect(problems, chunk.path("created").isIntegralNumber(), "chunk created is not an integer");
            expect(problems, nonBlank(chunk.path("model")), "chunk without model");
            expect(problems, chunk.path("choices").isArray(), "chunk without choices array");
            for (JsonNode choice : chunk.path("choices")) {
                anyDelta = true;
                expect(problems, choice.path("index").isIntegralNumber(), "chunk choice without index");
                expect(problems, choice.path("delta").isObject(), "chunk choice without delta");
                JsonNode finish = choice.path("finish_reason");
                expect(
                        problems,
                        finish.isNull() || finish.isMissingNode() || FINISH_REASONS.contains(finish.asText()),
                        "chunk finish_reason " + finish);
            }
            if (chunk.path("usage").isObject()) {
                usage(chunk.path("usage"), problems, true);
            }
        }
        expect(problems, anyDelta, "no chunk carries a choice");
        return describe(problems, body);
    }

    /** An embeddings list: one embedding per input in order, float arrays or base64 of little-endian floats. */
    static Optional<String> embeddings(String body) {
        List<String> problems = new ArrayList<>();
        JsonNode root = parse(body, problems);
        if (root == null) {
            return describe(problems, body);
        }
        expect(problems, "list".equals(root.path("object").asText()), "object is not list");
        expect(problems, nonBlank(root.path("model")), "no model");
        JsonNode items = root.path("data");
        expect(problems, items.isArray() && !items.isEmpty(), "no data");
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            expect(problems, "embedding".equals(item.path("object").asText()), "data " + i + " is no embedding");
            expect(problems, item.path("index").asInt(-1) == i, "data " + i + " has index " + item.path("index"));
            JsonNode vector = item.path("embedding");
            if (vector.isArray()) {
                expect(problems, !vector.isEmpty(), "data " + i + " is an empty vector");
                for (JsonNode value : vector) {
                    expect(problems, value.isNumber(), "data " + i + " holds a non-number");
                }
            } else if (vector.isTextual()) {
                int bytes = decodedLength(vector.asText());
                expect(problems, bytes > 0 && bytes % Float.BYTES == 0, "data " + i + " is not base64 of floats");
            } else {
                problems.add("data " + i + " embedding is " + vector.getNodeType());
            }
        }
        usage(root.path("usage"), problems, false);
        return describe(problems, body);
    }

    /** OpenAI's error body: exactly {@code error} holding a message, a type, and {@code param} and {@code code}. */
    static Optional<String> error(String body) {
        List<String> problems = new ArrayList<>();
        JsonNode root = parse(body, problems);
        if (root == null) {
            return describe(problems, body);
        }
        expect(problems, root.size() == 1 && root.path("error").isObject(), "not exactly one error object");
        JsonNode error = root.path("error");
        expect(problems, nonBlank(error.path("message")), "error without message");
        expect(problems, nonBlank(error.path("type")), "error without type");
        for (String nullable : List.of("param", "code")) {
            JsonNode value = error.path(nullable);
            expect(
                    problems,
                    value.isTextual() || value.isNull(),
                    "error " + nullable + " is "
                            + (value.isMissingNode()
                                    ? "missing"
                                    : value.getNodeType().toString()));
        }
        expect(problems, !body.contains("Exception") && !body.contains("\tat "), "internals leaked");
        return describe(problems, body);
    }

    private static void toolCall(JsonNode call, List<String> problems, String where) {
        expect(problems, nonBlank(call.path("id")), where + " tool call without id");
        expect(problems, "function".equals(call.path("type").asText()), where + " tool call type");
        expect(problems, nonBlank(call.path("function").path("name")), where + " tool call without name");
        expect(problems, call.path("function").path("arguments").isTextual(), where + " arguments not a string");
    }

    private static void usage(JsonNode usage, List<String> problems, boolean completion) {
        expect(problems, usage.isObject(), "no usage");
        long prompt = count(usage, "prompt_tokens", problems);
        long total = count(usage, "total_tokens", problems);
        long output = completion ? count(usage, "completion_tokens", problems) : 0;
        expect(problems, total == prompt + output, "total_tokens " + total + " is not prompt + completion");
    }

    private static long count(JsonNode usage, String field, List<String> problems) {
        JsonNode value = usage.path(field);
        expect(problems, value.isIntegralNumber() && value.asLong() >= 0, "usage." + field + " is " + value);
        return value.asLong();
    }

    private static int decodedLength(String base64) {
        try {
            return Base64.getDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static boolean nonBlank(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank();
    }

    private static JsonNode parse(String body, List<String> problems) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                problems.add("not a JSON object");
                return null;
            }
            return node;
        } catch (IOException e) {
            problems.add("not JSON");
            return null;
        }
    }

    private static void expect(List<String> problems, boolean holds, String problem) {
        if (!holds) {
            problems.add(problem);
        }
    }

    private static Optional<String> describe(List<String> problems, String body) {
        return problems.isEmpty()
                ? Optional.empty()
                : Optional.of(String.join("; ", problems) + " in: " + abbreviate(body));
    }

    private static String abbreviate(String text) {
        return text.length() <= 400 ? text : text.substring(0, 400) + "...";
    }
}
