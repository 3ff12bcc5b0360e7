package io.tokenhub.routing.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenhub.routing.openai.FinishReason;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.spi.StreamTranslator;
import io.tokenhub.routing.spi.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Chat-Completions-shaped stream from a {@link CompatibleChatAdapter} provider, rebuilt chunk by chunk in OpenAI's
 * shape. Tool-call deltas get the index OpenAI requires when the provider leaves it out (Mistral sends each call whole,
 * without one); usage is captured wherever it comes (Mistral's finish chunk, Meta's usage chunk) and reaches the client
 * as its own chunk only when asked for; {@code [DONE]} marks a complete answer.
 */
final class CompatibleStreamTranslator implements StreamTranslator {

    private final CompatibleChatAdapter adapter;
    private final ChunkWriter chunks;
    private final boolean includeUsage;
    private final String fallbackModel;
    private final Map<Integer, Choice> choices = new HashMap<>();
    private Usage usage = Usage.NONE;
    private JsonNode nativeUsage;
    private boolean completed;
    private String failure;

    /** What one choice has sent so far. */
    private static final class Choice {
        private final Set<Integer> openedCalls = new HashSet<>();
        private int lastCall = -1;
    }

    CompatibleStreamTranslator(
            CompatibleChatAdapter adapter, long created, boolean includeUsage, String fallbackModel) {
        this.adapter = adapter;
        this.chunks = new ChunkWriter(created, includeUsage);
        this.includeUsage = includeUsage;
        this.fallbackModel = fallbackModel;
    }

    @Override
    public List<String> onEvent(String event, String data) {
        if ("[DONE]".equals(data)) {
            completed = true;
            return List.of();
        }
        JsonNode chunk;
        try {
            chunk = adapter.json.readTree(data);
        } catch (IOException e) {
            failure = OpenAiError.badGateway("The provider sent a malformed stream event.")
                    .toJson();
            return List.of();
        }
        if (chunk.has("error")) {
            failure = ProviderErrors.streamError(chunk.get("error"));
            return List.of();
        }
        if ("error".equals(chunk.path("object").asText()) || chunk.has("detail")) {
            failure = ProviderErrors.streamError(chunk);
            return List.of();
        }
        if (choices.isEmpty()) {
            chunks.created(chunk.path("created").asLong(0));
        }
        chunks.identify(CompatibleChatAdapter.id(chunk), chunk.path("model").asText(fallbackModel));
        if (chunk.path("usage").isObject()) {
            nativeUsage = chunk.get("usage");
            usage = adapter.usage(nativeUsage);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode c : chunk.path("choices")) {
            int index = c.path("index").asInt(0);
            Choice choice = choices.get(index);
            if (choice == null) {
                choice = new Choice();
                choices.put(index, choice);
                out.add(chunks.role(index));
            }
            JsonNode delta = c.path("delta");
            String text = CompatibleChatAdapter.text(delta.get("content"));
            if (text != null && !text.isEmpty()) {
                out.add(chunks.content(index, text));
            }
            for (JsonNode call : delta.path("tool_calls")) {
                toolCall(index, choice, call, out);
            }
            String reason = c.path("finish_reason").asText(null);
            if (reason != null) {
                FinishReason finish = adapter.finishReason(reason);
                if (finish == null) {
                    failure = adapter.generationFailed().toJson();
                    return out;
                }
                out.add(chunks.finish(index, finish));
            }
        }
        return out;
    }

    private void toolCall(int index, Choice choice, JsonNode call, List<String> out) {
        String id = call.path("id").asText("");
        int callIndex;
        if (call.has("index")) {
            callIndex = call.get("index").asInt();
        } else if (!id.isEmpty()) {
            // A call without an index is a whole new call (Mistral): the next index of this choice.
            callIndex = choice.openedCalls.size();
        } else {
            callIndex = choice.lastCall;
        }
        choice.lastCall = callIndex;
        String arguments = CompatibleChatAdapter.arguments(call.path("function").get("arguments"));
        if (!id.isEmpty() && choice.openedCalls.add(callIndex)) {
            out.add(chunks.toolCall(
                    index, callIndex, id, call.path("function").path("name").asText(), arguments));
        } else if (!arguments.isEmpty() && callIndex >= 0) {
            out.add(chunks.toolArguments(index, callIndex, arguments));
        }
    }

    @Override
    public Optional<String> usageChunk() {
        return includeUsage
                ? Optional.of(chunks.usage(CompatibleChatAdapter.usageJson(
                        usage, nativeUsage == null ? adapter.json.missingNode() : nativeUsage)))
                : Optional.empty();
    }

    @Override
    public boolean completed() {
        return completed;
    }

    @Override
    public String failure() {
        return failure;
    }

    @Override
    public Usage usage() {
        return usage;
    }

    @Override
    public long answerChars() {
        return chunks.answerChars();
    }
}
