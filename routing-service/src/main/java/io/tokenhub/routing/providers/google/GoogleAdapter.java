package io.tokenhub.routing.providers.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.wire.ProviderWire;
import io.tokenhub.routing.openai.CacheControls;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.ChatSpec;
import io.tokenhub.routing.openai.ChatSpec.AssistantMessage;
import io.tokenhub.routing.openai.ChatSpec.FunctionTool;
import io.tokenhub.routing.openai.ChatSpec.Image;
import io.tokenhub.routing.openai.ChatSpec.Message;
import io.tokenhub.routing.openai.ChatSpec.Part;
import io.tokenhub.routing.openai.ChatSpec.Reasoning;
import io.tokenhub.routing.openai.ChatSpec.SystemMessage;
import io.tokenhub.routing.openai.ChatSpec.Text;
import io.tokenhub.routing.openai.ChatSpec.ThoughtSignature;
import io.tokenhub.routing.openai.ChatSpec.ToolCall;
import io.tokenhub.routing.openai.ChatSpec.ToolMessage;
import io.tokenhub.routing.openai.ChatSpec.UserMessage;
import io.tokenhub.routing.openai.ChatSpecReader;
import io.tokenhub.routing.openai.FinishReason;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.openai.ReasoningDetails;
import io.tokenhub.routing.spi.NativeRequest;
import io.tokenhub.routing.spi.ProviderAdapter;
import io.tokenhub.routing.spi.StreamTranslator;
import io.tokenhub.routing.spi.TranslatedResponse;
import io.tokenhub.routing.translate.DataUrl;
import io.tokenhub.routing.translate.OpenAiShapes;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Google's Gemini API (https://ai.google.dev/api/generate-content), {@code POST /v1beta/models/{model}:generateContent}
 * and {@code :streamGenerateContent?alt=sse} under the base URL {@code https://generativelanguage.googleapis.com},
 * authenticated by {@code x-goog-api-key} (never the {@code ?key=} parameter, which ends up in access logs). The
 * translation rules, each of them in routing-service's README:
 * <ul>
 * <li>system and developer messages become {@code systemInstruction}; assistant turns have role {@code model};
 * consecutive turns of one role are merged, since Gemini wants them alternating;</li>
 * <li>a tool message becomes a {@code functionResponse} part in a user turn, named after the function of the call
 * it answers (OpenAI tool messages carry only the call id; Gemini needs the name);</li>
 * <li>Gemini's function calls carry no id: TokenHub makes one from the response id and the call's position, so it is
 * stable and unique within a conversation;</li>
 * <li>Gemini finishes a function call with {@code STOP}: a choice that called tools finishes with
 * {@code tool_calls};</li>
 * <li>images must be inline ({@code data:} URLs): Gemini does not fetch arbitrary URLs and TokenHub does not
 * download them for it;</li>
 * <li>JSON schemas are converted to Gemini's OpenAPI subset by {@link GeminiSchema}.</li>
 * <li>Gemini 3's {@code thoughtSignature}s go out as {@code reasoning_details} ({@link ReasoningDetails}) and come back
 * on the parts they came on, matched by tool call id: Gemini refuses a function call of the current turn without its
 * signature (https://ai.google.dev/gemini-api/docs/thought-signatures).</li>
 * </ul>
 */
@ApplicationScoped
public class GoogleAdapter implements ProviderAdapter {

    private static final ProviderWire WIRE = ProviderWire.of(Provider.GOOGLE);
    /** The part field of Gemini's signature over the thinking that led to that part. */
    private static final String THOUGHT_SIGNATURE = "thoughtSignature";

    private final ObjectMapper json;
    private final Clock clock;

    public GoogleAdapter(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    @Override
    public NativeRequest toNativeRequest(ChatRequest request, CatalogModel model, String apiKey) {
        ChatSpec chat = ChatSpecReader.read(request.body(), Provider.GOOGLE);
        ObjectNode body = json.createObjectNode();
        body.set("contents", contents(chat));
        ArrayNode system = json.createArrayNode();
        chat.messages().stream()
                .filter(SystemMessage.class::isInstance)
                .map(m -> ((SystemMessage) m).text())
                .filter(t -> !t.isEmpty())
                .forEach(t -> system.addObject().put("text", t));
        if (!system.isEmpty()) {
            body.putObject("systemInstruction").set("parts", system);
        }
        tools(body, chat);
        ObjectNode config = generationConfig(chat);
        if (!config.isEmpty()) {
            body.set("generationConfig", config);
        }
        String action = request.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent";
        try {
            return new NativeRequest(
                    WIRE.chatPathFor(model.providerModel()) + action,
                    WIRE.jsonHeaders(apiKey),
                    json.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ArrayNode contents(ChatSpec chat) {
        ArrayNode contents = json.createArrayNode();
        Map<String, String> functionByCallId = new HashMap<>();
        for (Message m : chat.messages()) {
            ArrayNode parts = json.createArrayNode();
            if (m instanceof UserMessage user) {
                user.parts().forEach(part -> part(part).ifPresent(parts::add));
                append(contents, "user", parts);
            } else if (m instanceof AssistantMessage assistant) {
                if (assistant.text() != null && !assistant.text().isEmpty()) {
                    parts.addObject().put("text", assistant.text());
                }
                Map<String, ObjectNode> partByCallId = new HashMap<>();
                for (ToolCall call : assistant.toolCalls()) {
                    functionByCallId.put(call.id(), call.name());
                    ObjectNode part = parts.addObject();
                    part.putObject("functionCall").put("name", call.name()).set("args", call.argumentsObject(json));
                    partByCallId.put(call.id(), part);
                }
                sign(parts, partByCallId, assistant.reasoning());
                append(contents, "model", parts);
            } else if (m instanceof ToolMessage tool) {
                // ChatSpec checked that every tool message answers a call of the assistant turn before it.
                ObjectNode response = parts.addObject()
                        .putObject("functionResponse")
                        .put("name", functionByCallId.get(tool.toolCallId()));
                response.putObject("response").put("output", tool.text());
                append(contents, "user", parts);
            }
            // System messages went to systemInstruction.
        }
        return contents;
    }

    /**
     * Puts the thought signatures the client sent back on the parts Gemini gave them on: a signature naming a tool call
     * on that call's part, the others in order on the parts still unsigned (text first, as Gemini orders an answer),
     * which also places them when a client dropped the ids. Claude's entries are not Gemini's to see.
     */
    private static void sign(ArrayNode parts, Map<String, ObjectNode> partByCallId, List<Reasoning> reasoning) {
        Deque<String> unplaced = new ArrayDeque<>();
        for (Reasoning entry : reasoning) {
            if (entry instanceof ThoughtSignature signature) {
                ObjectNode part = partByCallId.remove(String.valueOf(signature.toolCallId()));
                if (part == null) {
                    unplaced.add(signature.signature());
                } else {
                    part.put(THOUGHT_SIGNATURE, signature.signature());
                }
            }
        }
        for (JsonNode part : parts) {
            if (!unplaced.isEmpty() && !part.has(THOUGHT_SIGNATURE)) {
                ((ObjectNode) part).put(THOUGHT_SIGNATURE, unplaced.poll());
            }
        }
    }

    /** Adds a turn, merging it into the previous one of the same role, since Gemini wants roles to alternate. */
    private static void append(ArrayNode contents, String role, ArrayNode parts) {
        if (parts.isEmpty()) {
            return;
        }
        JsonNode last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
        if (last != null && role.equals(last.path("role").asText())) {
            ((ArrayNode) last.get("parts")).addAll(parts);
        } else {
            contents.addObject().put("role", role).set("parts", parts);
        }
    }

    /** A user part; empty text, which Gemini refuses ("empty text parameter"), is left out. */
    private Optional<ObjectNode> part(Part part) {
        if (part instanceof Text text) {
            return text.text().isEmpty()
                    ? Optional.empty()
                    : Optional.of(json.createObjectNode().put("text", text.text()));
        }
        Image image = (Image) part;
        DataUrl inline = DataUrl.parse(image.url(), image.param())
                .orElseThrow(() -> new InvalidRequestException(OpenAiError.invalidRequest(
                        "google needs images inline: send them as data: URLs (base64). TokenHub "
                                + "does not download image URLs.",
                        image.param())));
        ObjectNode out = json.createObjectNode();
        out.putObject("inlineData").put("mimeType", inline.mediaType()).put("data", inline.base64());
        return Optional.of(out);
    }

    private void tools(ObjectNode body, ChatSpec chat) {
        if (chat.tools().isEmpty()) {
            return;
        }
        ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
        for (int i = 0; i < chat.tools().size(); i++) {
            FunctionTool tool = chat.tools().get(i);
            ObjectNode declaration = declarations.addObject().put("name", tool.name());
            if (tool.description() != null) {
                declaration.put("description", tool.description());
            }
            if (tool.parameters() != null) {
                ObjectNode parameters = GeminiSchema.of(tool.parameters(), "tools[" + i + "].function.parameters");
                if (!GeminiSchema.isEmptyObject(parameters)) {
                    declaration.set("parameters", parameters);
                }
            }
        }
        if (chat.toolChoice() != null) {
            ObjectNode config = body.putObject("toolConfig").putObject("functionCallingConfig");
            switch (chat.toolChoice().mode()) {
                case AUTO -> config.put("mode", "AUTO");
                case NONE -> config.put("mode", "NONE");
                case REQUIRED -> config.put("mode", "ANY");
                case FUNCTION ->
                    config.put("mode", "ANY")
                            .putArray("allowedFunctionNames")
                            .add(chat.toolChoice().function());
            }
        }
    }

    private ObjectNode generationConfig(ChatSpec chat) {
        ObjectNode config = json.createObjectNode();
        if (chat.temperature() != null) {
            config.put("temperature", chat.temperature());
        }
        if (chat.topP() != null) {
            config.put("topP", chat.topP());
        }
        if (chat.maxTokens() != null) {
            config.put("maxOutputTokens", chat.maxTokens());
        }
        if (!chat.stop().isEmpty()) {
            ArrayNode stop = config.putArray("stopSequences");
            chat.stop().forEach(stop::add);
        }
        if (chat.n() > 1) {
            config.put("candidateCount", chat.n());
        }
        if (chat.seed() != null) {
            config.put("seed", chat.seed());
        }
        if (chat.presencePenalty() != null) {
            config.put("presencePenalty", chat.presencePenalty());
        }
        if (chat.frequencyPenalty() != null) {
            config.put("frequencyPenalty", chat.frequencyPenalty());
        }
        if (chat.responseFormat().json()) {
            config.put("responseMimeType", "application/json");
            if (chat.responseFormat().schema() != null) {
                config.set(
                        "responseSchema",
                        GeminiSchema.of(chat.responseFormat().schema(), "response_format.json_schema.schema"));
            }
        }
        return config;
    }

    @Override
    public TranslatedResponse toOpenAiResponse(ChatRequest request, CatalogModel model, byte[] nativeBody) {
        JsonNode response;
        try {
            response = json.readTree(nativeBody);
        } catch (IOException e) {
            throw new UncheckedIOException("provider answered with invalid JSON", e);
        }
        String id = responseId(response);
        ArrayNode choices = OpenAiShapes.array();
        JsonNode candidates = response.path("candidates");
        for (int i = 0; i < candidates.size(); i++) {
            JsonNode candidate = candidates.get(i);
            int index = candidate.path("index").asInt(i);
            StringBuilder text = null;
            ArrayNode calls = json.createArrayNode();
            ArrayNode signatures = json.createArrayNode();
            for (JsonNode part : candidate.path("content").path("parts")) {
                JsonNode call = part.get("functionCall");
                String callId = call == null ? null : toolCallId(id, index, calls.size(), call);
                signature(part, signatures.size(), callId).ifPresent(signatures::add);
                if (call != null) {
                    calls.add(OpenAiShapes.toolCall(callId, call.path("name").asText(), arguments(call)));
                } else if (part.has("text") && !part.path("thought").asBoolean(false)) {
                    text = (text == null ? new StringBuilder() : text)
                            .append(part.get("text").asText());
                }
            }
            ObjectNode choice = OpenAiShapes.choice(
                    index,
                    text == null ? null : text.toString(),
                    calls,
                    finishReason(candidate.path("finishReason").asText(null), !calls.isEmpty()));
            // Gemini shows no thinking text unless asked (includeThoughts, which TokenHub does not send): null.
            OpenAiShapes.reasoning(choice, null, signatures);
            choices.add(choice);
        }
        if (candidates.isEmpty() && response.path("promptFeedback").has("blockReason")) {
            choices.add(OpenAiShapes.choice(0, null, null, FinishReason.CONTENT_FILTER));
        }
        GoogleUsage usage = new GoogleUsage();
        usage.read(response.path("usageMetadata"));
        ObjectNode out = OpenAiShapes.completion(
                id,
                clock.instant().getEpochSecond(),
                response.path("modelVersion").asText(model.providerModel()),
                choices,
                usage.json());
        try {
            return new TranslatedResponse(json.writeValueAsBytes(out), usage.usage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public StreamTranslator newStreamTranslator(ChatRequest request, CatalogModel model) {
        return new GoogleStreamTranslator(
                json, clock.instant().getEpochSecond(), request.includeUsage(), model.providerModel());
    }

    @Override
    public OpenAiError toOpenAiError(int status, MultiMap headers, byte[] nativeBody) {
        return GoogleErrors.toOpenAiError(json, status, headers, nativeBody);
    }

    /** Gemini's {@code responseId}, which OpenAI clients see as the completion id; a fresh one if it is missing. */
    static String responseId(JsonNode response) {
        String id = response.path("responseId").asText("");
        return id.isEmpty() ? UUID.randomUUID().toString().replace("-", "") : id;
    }

    /**
     * The id TokenHub gives a Gemini function call, which has none of its own: the call's place in the response.
     * The next turn needs only the function name, which TokenHub recovers from the assistant turn the client echoes.
     */
    static String toolCallId(String responseId, int candidate, int position, JsonNode call) {
        String own = call.path("id").asText("");
        return own.isEmpty() ? "call_" + responseId + "_" + candidate + "_" + position : own;
    }

    /**
     * A part's thought signature as a {@code reasoning_details} entry, tied to the tool call the part made
     * ({@code toolCallId}, null for any other part); empty when the part is unsigned, as before Gemini 3.
     */
    static Optional<ObjectNode> signature(JsonNode part, int index, String toolCallId) {
        String signature = part.path(THOUGHT_SIGNATURE).asText("");
        return signature.isEmpty()
                ? Optional.empty()
                : Optional.of(ReasoningDetails.thoughtSignature(index, signature, toolCallId));
    }

    static String arguments(JsonNode call) {
        JsonNode args = call.get("args");
        return args == null || args.isNull() ? "{}" : args.toString();
    }

    /**
     * Gemini's finish reasons (https://ai.google.dev/api/generate-content#FinishReason) as OpenAI's. {@code STOP} is
     * also how Gemini ends a function call, hence {@code calledTools}.
     */
    static FinishReason finishReason(String reason, boolean calledTools) {
        if (reason == null) {
            return calledTools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        }
        return switch (reason) {
            case "STOP" -> calledTools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
            case "MAX_TOKENS" -> FinishReason.LENGTH;
            case "SAFETY",
                    "RECITATION",
                    "LANGUAGE",
                    "BLOCKLIST",
                    "PROHIBITED_CONTENT",
                    "SPII",
                    "IMAGE_SAFETY",
                    "IMAGE_PROHIBITED_CONTENT",
                    "IMAGE_RECITATION" -> FinishReason.CONTENT_FILTER;
            // No usable call came out of these; OpenAI has no "tool error" finish, and the message says what there is.
            case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS" -> FinishReason.STOP;
            case "OTHER", "FINISH_REASON_UNSPECIFIED", "NO_IMAGE", "IMAGE_OTHER" ->
                calledTools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
            default -> {
                Log.warnf(
                        "google sent an unknown finishReason '%s'; answering finish_reason stop "
                                + "(https://ai.google.dev/api/generate-content#FinishReason)",
                        reason);
                yield calledTools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
            }
        };
    }

    /** Gemini has no end-user field or parallel-call switch, and thinking is not translated from reasoning_effort. */
    @Override
    public Set<String> ignoredFields() {
        return Set.of("user", "parallel_tool_calls", "reasoning_effort", CacheControls.FIELD);
    }
}
