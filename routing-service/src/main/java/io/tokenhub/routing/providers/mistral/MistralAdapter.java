package io.tokenhub.routing.providers.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.routing.openai.CacheControls;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.ChatSpec;
import io.tokenhub.routing.openai.ChatSpec.ResponseFormat;
import io.tokenhub.routing.openai.FinishReason;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.translate.CompatibleChatAdapter;
import io.vertx.core.MultiMap;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Set;

/**
 * Mistral's chat completions (https://docs.mistral.ai/api/#tag/chat), {@code POST /v1/chat/completions} under the base
 * URL {@code https://api.mistral.ai}. Its request schema forbids unknown fields, so the request carries only fields
 * that schema has: {@code max_tokens} for either OpenAI limit, {@code random_seed} for {@code seed}, no
 * {@code stream_options} (usage always comes in the finish chunk) and no {@code user}. Temperature above Mistral's
 * maximum of 1.5 is clamped to 1.5. Tool call ids are rewritten to Mistral's nine characters by
 * {@link MistralToolCallIds}.
 */
@Singleton
public class MistralAdapter extends CompatibleChatAdapter {

    /** The top of Mistral's temperature range in its API schema; OpenAI's goes to 2. */
    static final double MAX_TEMPERATURE = 1.5;

    public MistralAdapter(ObjectMapper json, Clock clock) {
        super(json, clock);
    }

    @Override
    protected Provider provider() {
        return Provider.MISTRAL;
    }

    @Override
    protected void dialect(ObjectNode body, ChatSpec chat, ChatRequest request) {
        if (chat.maxTokens() != null) {
            body.put("max_tokens", chat.maxTokens());
        }
        if (chat.seed() != null) {
            body.put("random_seed", chat.seed());
        }
        if (!chat.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            chat.stop().forEach(stop::add);
        }
        if (chat.n() > 1) {
            body.put("n", chat.n());
        }
        if (chat.presencePenalty() != null) {
            body.put("presence_penalty", chat.presencePenalty());
        }
        if (chat.frequencyPenalty() != null) {
            body.put("frequency_penalty", chat.frequencyPenalty());
        }
        if (chat.parallelToolCalls() != null && !chat.tools().isEmpty()) {
            body.put("parallel_tool_calls", chat.parallelToolCalls());
        }
        ResponseFormat format = chat.responseFormat();
        if (format.kind() == ResponseFormat.Kind.JSON_OBJECT) {
            body.putObject("response_format").put("type", "json_object");
        } else if (format.kind() == ResponseFormat.Kind.JSON_SCHEMA) {
            ObjectNode schema = body.putObject("response_format")
                    .put("type", "json_schema")
                    .putObject("json_schema")
                    .put("name", format.name());
            if (format.description() != null) {
                schema.put("description", format.description());
            }
            schema.set("schema", format.schema() != null ? format.schema() : json.createObjectNode());
            if (format.strict() != null) {
                schema.put("strict", format.strict());
            }
        }
    }

    @Override
    protected double temperature(double requested) {
        return Math.min(requested, MAX_TEMPERATURE);
    }

    @Override
    protected String nativeToolCallId(String id) {
        return MistralToolCallIds.toMistral(id);
    }

    /** Mistral reports cache reads in OpenAI's field and, in older answers, as {@code num_cached_tokens}. */
    @Override
    protected long cachedTokens(JsonNode usage) {
        JsonNode details = usage.path("prompt_tokens_details").path("cached_tokens");
        return details.isNumber()
                ? details.asLong()
                : usage.path("num_cached_tokens")
                        .asLong(usage.path("prompt_token_details")
                                .path("cached_tokens")
                                .asLong(0));
    }

    /**
     * Mistral's finish reasons (https://docs.mistral.ai/api/#tag/chat, {@code ChatCompletionChoice.finish_reason}):
     * {@code model_length} is the context window running out, a length finish; {@code error} is a failed generation.
     */
    @Override
    protected FinishReason finishReason(String reason) {
        return switch (reason) {
            case "stop" -> FinishReason.STOP;
            case "length", "model_length" -> FinishReason.LENGTH;
            case "tool_calls" -> FinishReason.TOOL_CALLS;
            case "error" -> null;
            default -> {
                Log.warnf(
                        "mistral sent an unknown finish_reason '%s'; answering stop "
                                + "(https://docs.mistral.ai/api/#tag/chat)",
                        reason);
                yield FinishReason.STOP;
            }
        };
    }

    @Override
    public OpenAiError toOpenAiError(int status, MultiMap headers, byte[] nativeBody) {
        return MistralErrors.toOpenAiError(json, status, headers, nativeBody);
    }

    /** Mistral's schema has no user field and no reasoning effort. */
    @Override
    public Set<String> ignoredFields() {
        return Set.of("user", "reasoning_effort", CacheControls.FIELD);
    }
}
