package io.tokenhub.routing.providers.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.routing.openai.FinishReason;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.spi.StreamTranslator;
import io.tokenhub.routing.spi.Usage;
import io.tokenhub.routing.translate.ChunkWriter;
import io.tokenhub.routing.translate.ProviderErrors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gemini's SSE stream ({@code streamGenerateContent?alt=sse}: every event a whole {@code GenerateContentResponse} with
 * new parts, no {@code [DONE]}) as OpenAI chunks. Each function call arrives whole and goes out as one tool-call delta
 * with its index among that choice's calls; a part's thought signature (Gemini 3) goes out just before it as one
 * {@code reasoning_details} entry. The finish reason comes with a candidate's last chunk; usage repeats on
 * every chunk and only the last one's is final, so the usage chunk is sent once the stream is over. A stream that
 * ends before every started choice finished was cut, and ends with an error event.
 */
final class GoogleStreamTranslator implements StreamTranslator {

    private final ObjectMapper json;
    private final ChunkWriter chunks;
    private final boolean includeUsage;
    private final String fallbackModel;
    private final GoogleUsage usage = new GoogleUsage();
    private final Map<Integer, Choice> choices = new LinkedHashMap<>();
    private String responseId;
    private boolean blocked;
    private String failure;

    /** What one candidate has sent so far. */
    private static final class Choice {
        private int calls;
        private int signatures;
        private boolean finished;
    }

    GoogleStreamTranslator(ObjectMapper json, long created, boolean includeUsage, String fallbackModel) {
        this.json = json;
        this.chunks = new ChunkWriter(created, includeUsage);
        this.includeUsage = includeUsage;
        this.fallbackModel = fallbackModel;
    }

    @Override
    public List<String> onEvent(String event, String data) {
        JsonNode response;
        try {
            response = json.readTree(data);
        } catch (IOException e) {
            failure = OpenAiError.badGateway("The provider sent a malformed stream event.")
                    .toJson();
            return List.of();
        }
        if (response.has("error")) {
            failure = ProviderErrors.streamError(response.get("error"));
            return List.of();
        }
        if (responseId == null) {
            responseId = GoogleAdapter.responseId(response);
        }
        chunks.identify(responseId, response.path("modelVersion").asText(fallbackModel));
        usage.read(response.path("usageMetadata"));
        List<String> out = new ArrayList<>();
        JsonNode candidates = response.path("candidates");
        for (int i = 0; i < candidates.size(); i++) {
            JsonNode candidate = candidates.get(i);
            int index = candidate.path("index").asInt(i);
            Choice choice = choices.get(index);
            if (choice == null) {
                choice = new Choice();
                choices.put(index, choice);
                out.add(chunks.role(index));
            }
            for (JsonNode part : candidate.path("content").path("parts")) {
                JsonNode call = part.get("functionCall");
                String callId = call == null ? null : GoogleAdapter.toolCallId(responseId, index, choice.calls, call);
                Optional<ObjectNode> signature = GoogleAdapter.signature(part, choice.signatures, callId);
                if (signature.isPresent()) {
                    out.add(chunks.reasoning(index, "", signature.get()));
                    choice.signatures++;
                }
                if (call != null) {
                    out.add(chunks.toolCall(
                            index, choice.calls, callId, call.path("name").asText(), GoogleAdapter.arguments(call)));
                    choice.calls++;
                } else if (part.has("text")
                        && !part.path("thought").asBoolean(false)
                        && !part.get("text").asText().isEmpty()) {
                    out.add(chunks.content(index, part.get("text").asText()));
                }
            }
            if (candidate.has("finishReason")) {
                out.add(chunks.finish(
                        index,
                        GoogleAdapter.finishReason(candidate.get("finishReason").asText(), choice.calls > 0)));
                choice.finished = true;
            }
        }
        if (candidates.isEmpty()
                && choices.isEmpty()
                && response.path("promptFeedback").has("blockReason")) {
            blocked = true;
            out.add(chunks.role(0));
            out.add(chunks.finish(0, FinishReason.CONTENT_FILTER));
        }
        return out;
    }

    @Override
    public Optional<String> usageChunk() {
        return includeUsage ? Optional.of(chunks.usage(usage.json())) : Optional.empty();
    }

    @Override
    public boolean completed() {
        return blocked || !choices.isEmpty() && choices.values().stream().allMatch(c -> c.finished);
    }

    @Override
    public String failure() {
        return failure;
    }

    @Override
    public Usage usage() {
        return usage.usage();
    }

    @Override
    public long answerChars() {
        return chunks.answerChars();
    }
}
