package io.tokenhub.routing.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.spi.StreamTranslator;
import io.tokenhub.routing.spi.Usage;
import io.tokenhub.routing.translate.ChunkWriter;
import io.tokenhub.routing.translate.OpenAiShapes;
import io.tokenhub.routing.translate.ProviderErrors;
import io.tokenhub.routing.translate.ResponseObjects;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * OpenAI's Responses stream (https://platform.openai.com/docs/api-reference/responses-streaming) as
 * {@code chat.completion.chunk}s: {@code response.created} opens the choice, {@code response.output_text.delta} and
 * {@code response.refusal.delta} are content, a {@code function_call} item's {@code response.output_item.added} and
 * its {@code response.function_call_arguments.delta}s are a tool call, and {@code response.completed} or
 * {@code response.incomplete} ends it with the finish reason and the usage (cached and reasoning tokens included);
 * {@code response.failed} and {@code error} fail it.
 */
final class OpenAiResponsesStreamTranslator implements StreamTranslator {

    /**
     * Events that repeat what the deltas above already said ({@code .done}, {@code content_part}), or that carry
     * nothing a chat client has a place for (reasoning summaries, annotations).
     */
    private static final Set<String> NOTHING_NEW = Set.of(
            "response.in_progress",
            "response.queued",
            "response.output_item.done",
            "response.content_part.added",
            "response.content_part.done",
            "response.output_text.done",
            "response.refusal.done",
            "response.function_call_arguments.done",
            "response.output_text.annotation.added",
            "response.reasoning_summary_part.added",
            "response.reasoning_summary_part.done",
            "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.done",
            "response.reasoning_text.delta",
            "response.reasoning_text.done");

    private final ObjectMapper json;
    private final boolean clientWantsUsage;
    private final ChunkWriter chunks;
    /** Tool-call index in the chat stream by the Responses item id of the function call. */
    private final Map<String, Integer> calls = new HashMap<>();

    private Usage usage = Usage.NONE;
    private long reasoningTokens;
    private boolean usageSeen;
    private boolean completed;
    private String failure;

    OpenAiResponsesStreamTranslator(ObjectMapper json, boolean clientWantsUsage) {
        this.json = json;
        this.clientWantsUsage = clientWantsUsage;
        this.chunks = new ChunkWriter(0, clientWantsUsage);
    }

    @Override
    public List<String> onEvent(String event, String data) {
        JsonNode payload;
        try {
            payload = json.readTree(data);
        } catch (IOException e) {
            failure = OpenAiError.badGateway("The provider sent a malformed stream event.")
                    .toJson();
            return List.of();
        }
        String type = payload.path("type").asText(event == null ? "" : event);
        switch (type) {
            case "response.created" -> {
                JsonNode response = payload.path("response");
                chunks.identify(
                        response.path("id").asText(), response.path("model").asText());
                chunks.created(response.path("created_at").asLong(0));
                return List.of(chunks.role(0));
            }
            case "response.output_text.delta" -> {
                return List.of(chunks.content(0, payload.path("delta").asText("")));
            }
            case "response.refusal.delta" -> {
                return List.of(chunks.refusal(0, payload.path("delta").asText("")));
            }
            case "response.output_item.added" -> {
                JsonNode item = payload.path("item");
                if (!"function_call".equals(item.path("type").asText())) {
                    return List.of();
                }
                int index = calls.size();
                calls.put(item.path("id").asText(), index);
                return List.of(chunks.toolCall(
                        0,
                        index,
                        item.path("call_id").asText(),
                        item.path("name").asText(),
                        item.path("arguments").asText("")));
            }
            case "response.function_call_arguments.delta" -> {
                Integer index = calls.get(payload.path("item_id").asText());
                if (index == null) {
                    failure = OpenAiError.badGateway("The provider streamed arguments of a tool call it never began.")
                            .toJson();
                    return List.of();
                }
                return List.of(
                        chunks.toolArguments(0, index, payload.path("delta").asText("")));
            }
            case "response.completed", "response.incomplete" -> {
                JsonNode response = payload.path("response");
                readUsage(response.path("usage"));
                completed = true;
                return List.of(chunks.finish(0, ResponseObjects.finishReason(response)));
            }
            case "response.failed" -> {
                JsonNode response = payload.path("response");
                readUsage(response.path("usage"));
                failure = ProviderErrors.streamError(response.path("error"));
                return List.of();
            }
            case "error" -> {
                failure = ProviderErrors.streamError(payload);
                return List.of();
            }
            default -> {
                if (!NOTHING_NEW.contains(type)) {
                    // Newer than this code: skipped on purpose, since a chat stream has no place for what it carries.
                    Log.debugf(
                            "skipped Responses stream event '%s'"
                                    + " (https://platform.openai.com/docs/api-reference/responses-streaming)",
                            type);
                }
                return List.of();
            }
        }
    }

    private void readUsage(JsonNode reported) {
        if (reported.isObject()) {
            usage = ResponseObjects.usageOf(reported);
            reasoningTokens = ResponseObjects.reasoningTokens(reported);
            usageSeen = true;
        }
    }

    @Override
    public Optional<String> usageChunk() {
        if (!clientWantsUsage || !usageSeen) {
            return Optional.empty();
        }
        return Optional.of(chunks.usage(OpenAiShapes.usage(usage, reasoningTokens)));
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
