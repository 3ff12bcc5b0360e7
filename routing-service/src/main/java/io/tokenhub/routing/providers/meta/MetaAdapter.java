package io.tokenhub.routing.providers.meta;

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
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.translate.CompatibleChatAdapter;
import io.vertx.core.MultiMap;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Set;

/**
 * Meta's Llama API through its OpenAI-compatible endpoint (https://llama.developer.meta.com/docs/features/compatibility/),
 * {@code POST /chat/completions} under the base URL {@code https://api.llama.com/compat/v1}. The endpoint takes
 * OpenAI's request shape; what differs: {@code max_completion_tokens} carries either OpenAI limit, the only JSON mode is
 * {@code json_schema} (a {@code json_object} request becomes a schema for any object), one choice per request
 * ({@code n} above 1 is refused), and streams always ask for the usage chunk so every stream can be billed. Meta's
 * models report no cached tokens.
 */
@Singleton
public class MetaAdapter extends CompatibleChatAdapter {

    public MetaAdapter(ObjectMapper json, Clock clock) {
        super(json, clock);
    }

    @Override
    protected Provider provider() {
        return Provider.META;
    }

    @Override
    protected void dialect(ObjectNode body, ChatSpec chat, ChatRequest request) {
        if (chat.n() > 1) {
            throw new InvalidRequestException(OpenAiError.invalidRequest(
                    "meta answers one choice per request: send " + "n separate requests instead of n > 1.", "n"));
        }
        if (chat.maxTokens() != null) {
            body.put("max_completion_tokens", chat.maxTokens());
        }
        if (!chat.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            chat.stop().forEach(stop::add);
        }
        if (chat.seed() != null) {
            body.put("seed", chat.seed());
        }
        if (chat.presencePenalty() != null) {
            body.put("presence_penalty", chat.presencePenalty());
        }
        if (chat.frequencyPenalty() != null) {
            body.put("frequency_penalty", chat.frequencyPenalty());
        }
        if (chat.user() != null) {
            body.put("user", chat.user());
        }
        ResponseFormat format = chat.responseFormat();
        if (format.json()) {
            ObjectNode schema =
                    body.putObject("response_format").put("type", "json_schema").putObject("json_schema");
            if (format.kind() == ResponseFormat.Kind.JSON_SCHEMA) {
                schema.put("name", format.name());
                schema.set("schema", format.schema() != null ? format.schema() : json.createObjectNode());
            } else {
                schema.put("name", "json_object");
                schema.putObject("schema").put("type", "object");
            }
        }
        if (request.stream()) {
            body.putObject("stream_options").put("include_usage", true);
        }
    }

    /** The Llama API's stop reasons (https://llama.developer.meta.com/docs/api/chat) are OpenAI's names. */
    @Override
    protected FinishReason finishReason(String reason) {
        return switch (reason) {
            case "stop" -> FinishReason.STOP;
            case "length" -> FinishReason.LENGTH;
            case "tool_calls" -> FinishReason.TOOL_CALLS;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> {
                Log.warnf(
                        "meta sent an unknown finish_reason '%s'; answering stop "
                                + "(https://llama.developer.meta.com/docs/api/chat)",
                        reason);
                yield FinishReason.STOP;
            }
        };
    }

    @Override
    public OpenAiError toOpenAiError(int status, MultiMap headers, byte[] nativeBody) {
        return MetaErrors.toOpenAiError(json, status, headers, nativeBody);
    }

    /** The Llama API takes neither. */
    @Override
    public Set<String> ignoredFields() {
        return Set.of("parallel_tool_calls", "reasoning_effort", CacheControls.FIELD);
    }
}
