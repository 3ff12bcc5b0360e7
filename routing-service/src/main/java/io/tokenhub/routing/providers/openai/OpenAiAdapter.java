package io.tokenhub.routing.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.wire.ProviderWire;
import io.tokenhub.routing.openai.CacheControls;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.openai.ReasoningDetails;
import io.tokenhub.routing.spi.NativeRequest;
import io.tokenhub.routing.spi.ProviderAdapter;
import io.tokenhub.routing.spi.StreamTranslator;
import io.tokenhub.routing.spi.TranslatedResponse;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/**
 * OpenAI, on the API the catalog names for the model ({@code upstream-api}). Its own Chat Completions API
 * (https://platform.openai.com/docs/api-reference/chat): the client's request goes out as sent except for the provider
 * model id and the deprecated {@code max_tokens}, renamed {@code max_completion_tokens}, and the answer comes back byte
 * for byte. Streams always ask for the usage chunk so every stream can be billed; it reaches the client only when the
 * client asked for it. Models OpenAI serves on its Responses API only (o3-pro, gpt-5-pro) go there instead, translated
 * both ways by {@link OpenAiResponses} and {@link OpenAiResponsesStreamTranslator}.
 */
@ApplicationScoped
public class OpenAiAdapter implements ProviderAdapter {

    private static final ProviderWire WIRE = ProviderWire.of(Provider.OPENAI);
    /** Fields never forwarded to OpenAI. */
    private static final Set<String> WITHHELD = Set.of("store", "metadata");

    /** The fields holding what OpenAI refuses deep inside: cache marks, and reasoning details on messages. */
    private static final List<String> NESTED = List.of("messages", "tools");

    /** What the client is told was dropped: the withheld fields and Anthropic's prompt-cache breakpoints. */
    private static final Set<String> IGNORED = Set.of("store", "metadata", CacheControls.FIELD);

    private final ObjectMapper json;

    public OpenAiAdapter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public NativeRequest toNativeRequest(ChatRequest request, CatalogModel model, String apiKey) {
        return switch (model.upstreamApi()) {
            case CHAT -> new NativeRequest(WIRE.chatPath(), WIRE.jsonHeaders(apiKey), chatBody(request, model));
            case RESPONSES ->
                new NativeRequest(
                        WIRE.responsesPath(), WIRE.jsonHeaders(apiKey), write(OpenAiResponses.request(request, model)));
        };
    }

    /**
     * The client's request with OpenAI's changes. Every field it leaves as parsed goes out as the client's own bytes,
     * only the changed ones are written again: a prompt is not escaped a second time.
     */
    private byte[] chatBody(ChatRequest request, CatalogModel model) {
        // A copy of the top level only: the client's nodes are shared with attempts at other providers, so each field
        // changed below is replaced, never edited.
        ObjectNode body = request.body().objectNode().setAll(request.body());
        body.put("model", model.providerModel());
        // Stored completions would keep the customer's prompts in TokenHub's OpenAI account, against the promise to
        // keep no content; metadata only labels stored completions. OpenAI's default is not to store.
        body.remove(WITHHELD);
        // Copied only where something inside goes: a field that is no longer the client's node is written again.
        for (String field : NESTED) {
            JsonNode value = body.get(field);
            if (value != null) {
                body.set(field, stripped(body.objectNode().set(field, value)).get(field));
            }
        }
        // Claude's thinking, kept for Claude: OpenAI has no field for it and answers unknown ones with a 400.
        body.remove(ChatRequest.THINKING);
        // o-series models refuse the deprecated max_tokens; max_completion_tokens means the same to every model.
        JsonNode maxTokens = body.remove("max_tokens");
        if (maxTokens != null && !body.hasNonNull("max_completion_tokens")) {
            body.set("max_completion_tokens", maxTokens);
        }
        if (request.stream()) {
            body.putObject("stream_options").put("include_usage", true);
        }
        try {
            return request.source().write(json, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code holder} (messages or tools alone) without what OpenAI refuses: itself when it holds none of it, else a
     * copy without it.
     */
    private static ObjectNode stripped(ObjectNode holder) {
        boolean reasoning = false;
        for (JsonNode message : holder.path("messages")) {
            reasoning |= message.has(ReasoningDetails.FIELD);
        }
        if (!reasoning && !CacheControls.strippable(holder)) {
            return holder;
        }
        ObjectNode copy = holder.deepCopy();
        // OpenAI caches prompts by itself and refuses the unknown field; the client learns of it from the header.
        CacheControls.strip(copy);
        // Claude's reasoning, kept for Claude, and Gemini's signatures: OpenAI has no field for them.
        copy.path("messages").forEach(m -> ((ObjectNode) m).remove(ReasoningDetails.FIELD));
        return copy;
    }

    private byte[] write(ObjectNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public TranslatedResponse toOpenAiResponse(ChatRequest request, CatalogModel model, byte[] nativeBody) {
        JsonNode answer;
        try {
            answer = json.readTree(nativeBody);
        } catch (IOException e) {
            throw new UncheckedIOException("provider answered with invalid JSON", e);
        }
        return switch (model.upstreamApi()) {
            case CHAT -> new TranslatedResponse(nativeBody, OpenAiUsage.from(answer.path("usage")));
            case RESPONSES -> OpenAiResponses.answer(answer);
        };
    }

    @Override
    public StreamTranslator newStreamTranslator(ChatRequest request, CatalogModel model) {
        return switch (model.upstreamApi()) {
            case CHAT -> new OpenAiStreamTranslator(json, request.includeUsage());
            case RESPONSES -> new OpenAiResponsesStreamTranslator(json, request.includeUsage());
        };
    }

    @Override
    public OpenAiError toOpenAiError(int status, MultiMap headers, byte[] nativeBody) {
        return OpenAiErrors.toOpenAiError(json, status, headers, nativeBody);
    }

    /**
     * What is withheld from OpenAI on purpose (TokenHub keeps no content there, and metadata is stored with it), and
     * prompt-cache breakpoints, which OpenAI has no use for.
     */
    @Override
    public Set<String> ignoredFields() {
        return IGNORED;
    }
}
