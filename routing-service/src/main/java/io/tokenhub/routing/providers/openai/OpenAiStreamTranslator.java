package io.tokenhub.routing.providers.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
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
        // One streaming pass, no tree: on a realistic stream this runs thousands of times a second, and a tree parse
        // and re-serialisation per chunk cost more than relaying it.
        Scan scan;
        try (JsonParser parser = json.getFactory().createParser(data)) {
            scan = scan(parser);
        } catch (IOException e) {
            scan = null;
        }
        if (scan == null) {
            failure = OpenAiError.badGateway("The provider sent a malformed stream event.")
                    .toJson();
            return List.of();
        }
        if (scan.error() != null) {
            failure = ProviderErrors.streamError(scan.error());
            return List.of();
        }
        answerChars += scan.answerChars();
        if (scan.usage() != null && scan.usage().isObject()) {
            usage = OpenAiUsage.from(scan.usage());
            if (scan.choices() == 0) {
                // OpenAI's usage chunk, the last before [DONE]: held (one chunk) until the stream is over, so the
                // relay can bill it and add its cost as for every provider.
                usageChunk = clientWantsUsage ? data : null;
                return List.of();
            }
        }
        if (clientWantsUsage || scan.usageStart() < 0) {
            return List.of(data);
        }
        return List.of(withoutField(data, scan.usageStart(), scan.usageEnd()));
    }

    /**
     * What a chunk holds for the relay.
     *
     * @param error the top-level {@code error}, null when none
     * @param usage the top-level {@code usage} (an object or null node), null when absent
     * @param usageStart where the {@code usage} member starts in the text (its name's opening quote), -1 when absent
     * @param usageEnd where the {@code usage} member's value ends in the text
     * @param choices how many choices the chunk has
     * @param answerChars characters of answer in the choices' deltas ({@link OpenAiShapes#answerChars})
     */
    private record Scan(JsonNode error, JsonNode usage, int usageStart, int usageEnd, int choices, long answerChars) {}

    /** Reads the top level of one chunk; null when it is not an object. */
    private Scan scan(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        JsonNode error = null;
        JsonNode reported = null;
        int usageStart = -1;
        int usageEnd = -1;
        int choices = 0;
        long chars = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            int fieldStart = (int) parser.currentTokenLocation().getCharOffset();
            parser.nextToken();
            switch (field) {
                case "error" -> {
                    JsonNode node = json.readTree(parser);
                    error = node == null ? NullNode.getInstance() : node;
                }
                case "usage" -> {
                    usageStart = fieldStart;
                    reported = json.readTree(parser);
                    usageEnd = (int) parser.currentLocation().getCharOffset();
                }
                case "choices" -> {
                    OpenAiShapes.Choices read = OpenAiShapes.choices(parser);
                    choices = read.count();
                    chars = read.answerChars();
                }
                default -> parser.skipChildren();
            }
        }
        return new Scan(error, reported, usageStart, usageEnd, choices, chars);
    }

    /** {@code text} without the object member from {@code start} to {@code end}, and the comma that separated it. */
    static String withoutField(String text, int start, int end) {
        int before = start - 1;
        while (before >= 0 && Character.isWhitespace(text.charAt(before))) {
            before--;
        }
        if (before >= 0 && text.charAt(before) == ',') {
            return cut(text, before, end);
        }
        int after = end;
        while (after < text.length() && Character.isWhitespace(text.charAt(after))) {
            after++;
        }
        if (after < text.length() && text.charAt(after) == ',') {
            after++;
        }
        return cut(text, start, after);
    }

    private static String cut(String text, int from, int to) {
        return new StringBuilder(text.length() - (to - from))
                .append(text, 0, from)
                .append(text, to, text.length())
                .toString();
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
