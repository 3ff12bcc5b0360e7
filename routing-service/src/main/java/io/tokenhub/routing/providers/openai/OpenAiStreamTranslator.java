package io.tokenhub.routing.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.spi.StreamTranslator;
import io.tokenhub.routing.spi.Usage;
import io.tokenhub.routing.translate.OpenAiShapes;
import io.tokenhub.routing.translate.ProviderErrors;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Passes chunks through, capturing usage; the usage chunk is held for {@link #usageChunk()} when the client asked for
 * it and dropped otherwise.
 */
final class OpenAiStreamTranslator implements StreamTranslator {

    private final ObjectMapper json;
    private final boolean clientWantsUsage;
    private Usage usage = Usage.NONE;
    private boolean completed;
    private String failure;
    private long answerChars;
    private String usageChunk;

    OpenAiStreamTranslator(ObjectMapper json, boolean clientWantsUsage) {
        this.json = json;
        this.clientWantsUsage = clientWantsUsage;
    }

    @Override
    public List<String> onEvent(String event, String data) {
        if ("[DONE]".equals(data)) {
            completed = true;
            return List.of();
        }
        ObjectNode chunk;
        try {
            JsonNode node = json.readTree(data);
            if (!(node instanceof ObjectNode object)) {
                return List.of();
            }
            chunk = object;
        } catch (IOException e) {
            failure = OpenAiError.badGateway("The provider sent a malformed stream event.")
                    .toJson();
            return List.of();
        }
        if (chunk.has("error")) {
            failure = ProviderErrors.streamError(chunk.get("error"));
            return List.of();
        }
        answerChars += OpenAiShapes.answerChars(chunk);
        JsonNode reported = chunk.get("usage");
        if (reported != null && reported.isObject()) {
            usage = OpenAiUsage.from(reported);
            if (chunk.path("choices").isEmpty()) {
                // OpenAI's usage chunk, the last before [DONE]: held (one chunk) until the stream is over, so the
                // relay can bill it and add its cost as for every provider.
                usageChunk = clientWantsUsage ? data : null;
                return List.of();
            }
        }
        if (clientWantsUsage) {
            return List.of(data);
        }
        chunk.remove("usage");
        return List.of(chunk.toString());
    }

    @Override
    public Optional<String> usageChunk() {
        return Optional.ofNullable(usageChunk);
    }

    @Override
    public boolean completed() {
        return completed;
    }

    @Override
    public long answerChars() {
        return answerChars;
    }

    @Override
    public String failure() {
        return failure;
    }

    @Override
    public Usage usage() {
        return usage;
    }
}
