package io.tokenhub.routing.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.wire.ProviderWire;
import io.tokenhub.routing.openai.CacheControls;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.ChatSpec;
import io.tokenhub.routing.openai.ChatSpec.AssistantMessage;
import io.tokenhub.routing.openai.ChatSpec.CacheControl;
import io.tokenhub.routing.openai.ChatSpec.FunctionTool;
import io.tokenhub.routing.openai.ChatSpec.Image;
import io.tokenhub.routing.openai.ChatSpec.Message;
import io.tokenhub.routing.openai.ChatSpec.Part;
import io.tokenhub.routing.openai.ChatSpec.Reasoning;
import io.tokenhub.routing.openai.ChatSpec.RedactedThinking;
import io.tokenhub.routing.openai.ChatSpec.ResponseFormat;
import io.tokenhub.routing.openai.ChatSpec.SystemMessage;
import io.tokenhub.routing.openai.ChatSpec.Text;
import io.tokenhub.routing.openai.ChatSpec.Thinking;
import io.tokenhub.routing.openai.ChatSpec.ThoughtSignature;
import io.tokenhub.routing.openai.ChatSpec.ToolCall;
import io.tokenhub.routing.openai.ChatSpec.ToolChoice;
import io.tokenhub.routing.openai.ChatSpec.ToolMessage;
import io.tokenhub.routing.openai.ChatSpec.UserMessage;
import io.tokenhub.routing.openai.ChatSpecReader;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.openai.ReasoningDetails;
import io.tokenhub.routing.spi.NativeRequest;
import io.tokenhub.routing.spi.ProviderAdapter;
import io.tokenhub.routing.spi.StreamTranslator;
import io.tokenhub.routing.spi.TranslatedResponse;
import io.tokenhub.routing.translate.AnthropicStopReasons;
import io.tokenhub.routing.translate.DataUrl;
import io.tokenhub.routing.translate.OpenAiShapes;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Anthropic's Messages API (https://docs.claude.com/en/api/messages), {@code POST /v1/messages} under the base URL
 * {@code https://api.anthropic.com}. The translation rules, each of them in routing-service's README:
 * <ul>
 * <li>system and developer messages, wherever they stand, become the top-level {@code system} blocks in order;</li>
 * <li>consecutive tool messages become one user turn of {@code tool_result} blocks, first, with any user text that
 * follows appended after them (Anthropic's ordering rule);</li>
 * <li>{@code max_tokens} is required by Anthropic: {@value #DEFAULT_MAX_TOKENS} when the client sets no limit;</li>
 * <li>temperature above Anthropic's maximum of 1 is clamped to 1;</li>
 * <li>{@code response_format} is answered through a forced tool whose input schema is the requested schema (Claude 3
 * models have no native JSON mode), and the tool's input comes back as the message content;</li>
 * <li>{@code n} above 1 is refused: Anthropic answers one choice per request;</li>
 * <li>a {@code cache_control} prompt-cache breakpoint on a system or user text part, an image part or a tool goes on
 * the Anthropic block made from it, so prompt caching works as with Anthropic's own API.</li>
 * <li>extended thinking: a Messages request's {@code thinking} as sent, a reasoning effort as a budget; thinking and
 * redacted thinking come back as {@code reasoning_content} and {@code reasoning_details}, and go back to Claude from
 * an assistant message's {@code reasoning_details}, unchanged.</li>
 * </ul>
 */
@ApplicationScoped
public class AnthropicAdapter implements ProviderAdapter {

    private static final ProviderWire WIRE = ProviderWire.of(Provider.ANTHROPIC);

    /** The API version TokenHub speaks; the official SDKs send the same. */
    /** The answer length when the client sets none: within every Claude 3 model's output limit. */
    static final int DEFAULT_MAX_TOKENS = 4096;
    /** Anthropic's temperature range ends at 1 where OpenAI's ends at 2. */
    static final double MAX_TEMPERATURE = 1.0;
    /** Anthropic's lowest top_p with thinking on. */
    static final double MIN_THINKING_TOP_P = 0.95;
    /** The tool TokenHub forces to get JSON out of Claude; a client tool of this name is refused. */
    static final String JSON_TOOL = "json_response";

    /** Media types Anthropic accepts in base64 image sources. */
    private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

    private final ObjectMapper json;
    private final Clock clock;

    public AnthropicAdapter(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    @Override
    public NativeRequest toNativeRequest(ChatRequest request, CatalogModel model, String apiKey) {
        ChatSpec chat = ChatSpecReader.read(request.body(), Provider.ANTHROPIC);
        if (chat.n() > 1) {
            throw new InvalidRequestException(OpenAiError.invalidRequest(
                    "anthropic answers one choice per request: " + "send n separate requests instead of n > 1.", "n"));
        }
        ObjectNode body = json.createObjectNode()
                .put("model", model.providerModel())
                .put("max_tokens", chat.maxTokens() == null ? DEFAULT_MAX_TOKENS : chat.maxTokens());
        ArrayNode system = json.createArrayNode();
        chat.messages().stream()
                .filter(SystemMessage.class::isInstance)
                .flatMap(m -> ((SystemMessage) m).parts().stream())
                .map(this::textBlock)
                .flatMap(Optional::stream)
                .forEach(system::add);
        if (!system.isEmpty()) {
            body.set("system", system);
        }
        body.set("messages", messages(chat));
        if (chat.temperature() != null) {
            body.put("temperature", Math.min(chat.temperature(), MAX_TEMPERATURE));
        }
        if (chat.topP() != null) {
            body.put("top_p", chat.topP());
        }
        if (!chat.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop_sequences");
            chat.stop().forEach(stop::add);
        }
        if (chat.user() != null) {
            body.putObject("metadata").put("user_id", chat.user());
        }
        tools(body, chat);
        thinking(body, request, chat);
        if (request.stream()) {
            body.put("stream", true);
        }
        try {
            return new NativeRequest(WIRE.chatPath(), WIRE.jsonHeaders(apiKey), json.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ArrayNode messages(ChatSpec chat) {
        ArrayNode out = json.createArrayNode();
        for (Message m : chat.messages()) {
            ArrayNode blocks = json.createArrayNode();
            if (m instanceof UserMessage user) {
                user.parts().forEach(part -> block(part).ifPresent(blocks::add));
                append(out, "user", blocks);
            } else if (m instanceof AssistantMessage assistant) {
                // Thinking goes back first and unchanged, as Claude gave it: Anthropic checks the signatures. Gemini's
                // thought signatures are no block Anthropic knows, and it refuses blocks it did not make.
                assistant.reasoning().stream()
                        .filter(r -> !(r instanceof ThoughtSignature))
                        .forEach(r -> blocks.add(reasoningBlock(r)));
                if (assistant.text() != null && !assistant.text().isEmpty()) {
                    blocks.addObject().put("type", "text").put("text", assistant.text());
                }
                for (ToolCall call : assistant.toolCalls()) {
                    blocks.addObject()
                            .put("type", "tool_use")
                            .put("id", call.id())
                            .put("name", call.name())
                            .set("input", call.argumentsObject(json));
                }
                append(out, "assistant", blocks);
            } else if (m instanceof ToolMessage tool) {
                ObjectNode result =
                        blocks.addObject().put("type", "tool_result").put("tool_use_id", tool.toolCallId());
                if (!tool.text().isEmpty()) {
                    result.put("content", tool.text());
                }
                append(out, "user", blocks);
            }
            // System messages were hoisted into the top-level system field.
        }
        return out;
    }

    /** A thinking or redacted_thinking block as Claude gave it; a missing signature stays missing, for Anthropic. */
    private ObjectNode reasoningBlock(Reasoning reasoning) {
        if (reasoning instanceof RedactedThinking redacted) {
            return json.createObjectNode().put("type", "redacted_thinking").put("data", redacted.data());
        }
        Thinking thinking = (Thinking) reasoning;
        ObjectNode block = json.createObjectNode().put("type", "thinking").put("thinking", thinking.text());
        return thinking.signature() == null ? block : block.put("signature", thinking.signature());
    }

    /**
     * Extended thinking (https://docs.claude.com/en/docs/build-with-claude/extended-thinking): a Messages request's
     * own {@code thinking}, exactly as sent, or a chat reasoning effort as a budget ({@link #thinkingBudget}) on top
     * of the answer's length, since Anthropic counts thinking in {@code max_tokens} and wants more than the budget.
     * What Anthropic refuses alongside thinking is a 400 naming the client's field before any call.
     */
    private void thinking(ObjectNode body, ChatRequest request, ChatSpec chat) {
        JsonNode asked = request.body().get(ChatRequest.THINKING);
        if (asked == null) {
            JsonNode effort = request.body().get("reasoning_effort");
            int budget = effort == null || effort.isNull() ? 0 : thinkingBudget(effort.asText());
            if (budget == 0) {
                return;
            }
            asked = json.createObjectNode().put("type", "enabled").put("budget_tokens", budget);
            body.put("max_tokens", budget + (chat.maxTokens() == null ? DEFAULT_MAX_TOKENS : chat.maxTokens()));
        }
        if (chat.temperature() != null && Math.min(chat.temperature(), MAX_TEMPERATURE) != MAX_TEMPERATURE) {
            throw thinkingConflict("temperature may only be set to 1 when thinking is enabled.", "temperature");
        }
        if (chat.topP() != null && chat.topP() < MIN_THINKING_TOP_P) {
            throw thinkingConflict(
                    "top_p must be between " + MIN_THINKING_TOP_P + " and 1 when thinking is enabled.", "top_p");
        }
        if (chat.forcesToolCall()) {
            throw thinkingConflict(
                    "Thinking may not be enabled when tool_choice forces tool use: use 'auto' or 'none'.",
                    "tool_choice");
        }
        if (usesJsonTool(chat.responseFormat(), chat.toolChoice())) {
            throw thinkingConflict(
                    "response_format is answered by Claude through a forced tool, which thinking does not allow: "
                            + "leave out response_format or reasoning.",
                    "response_format");
        }
        body.set("thinking", asked);
    }

    /**
     * The thinking budget of a chat reasoning effort, 0 for none. Anthropic's minimum is 1024 tokens; each step is
     * within the reasoning band the Messages dialect reads the other way ({@code low} up to 4096, {@code medium} up to
     * 16384), and {@code high} plus the default answer stays inside Claude Opus 4.1's 32k output limit.
     */
    static int thinkingBudget(String effort) {
        return switch (effort) {
            case "none" -> 0;
            case "minimal" -> 1_024;
            case "low" -> 2_048;
            case "medium" -> 8_192;
            case "high" -> 24_576;
            default ->
                throw new InvalidRequestException(OpenAiError.invalidRequest(
                        "reasoning_effort '" + effort + "' is not offered for anthropic models: send 'none', "
                                + "'minimal', 'low', 'medium' or 'high'.",
                        "reasoning_effort"));
        };
    }

    private static InvalidRequestException thinkingConflict(String message, String param) {
        return new InvalidRequestException(OpenAiError.invalidRequest(message, param));
    }

    /**
     * Adds a turn, merging it into the previous one of the same role: that is how tool results and the user text
     * after them become one user turn with the results first, and how Anthropic's alternation is kept.
     */
    private static void append(ArrayNode messages, String role, ArrayNode blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last != null && role.equals(last.path("role").asText())) {
            ((ArrayNode) last.get("content")).addAll(blocks);
        } else {
            messages.addObject().put("role", role).set("content", blocks);
        }
    }

    /** A text part as a text block with its breakpoint; empty text, which Anthropic refuses, is left out. */
    private Optional<ObjectNode> textBlock(Text text) {
        if (text.text().isEmpty()) {
            return Optional.empty();
        }
        ObjectNode block = json.createObjectNode().put("type", "text").put("text", text.text());
        cacheControl(block, text.cacheControl());
        return Optional.of(block);
    }

    /** Anthropic's {@code cache_control} on {@code block}, when the client marked a breakpoint there. */
    private void cacheControl(ObjectNode block, CacheControl mark) {
        if (mark != null) {
            ObjectNode out = block.putObject(CacheControls.FIELD).put("type", "ephemeral");
            if (mark.ttl() != null) {
                out.put("ttl", mark.ttl());
            }
        }
    }

    /** A user part as a content block; empty text, which Anthropic refuses, is left out. */
    private Optional<ObjectNode> block(Part part) {
        if (part instanceof Text text) {
            return textBlock(text);
        }
        Image image = (Image) part;
        ObjectNode block = json.createObjectNode().put("type", "image");
        cacheControl(block, image.cacheControl());
        Optional<DataUrl> inline = DataUrl.parse(image.url(), image.param());
        if (inline.isPresent()) {
            if (!IMAGE_TYPES.contains(inline.get().mediaType())) {
                throw new InvalidRequestException(OpenAiError.invalidRequest(
                        "anthropic accepts jpeg, png, gif and " + "webp images, not "
                                + inline.get().mediaType() + ".",
                        image.param()));
            }
            block.putObject("source")
                    .put("type", "base64")
                    .put("media_type", inline.get().mediaType())
                    .put("data", inline.get().base64());
        } else if (image.url().regionMatches(true, 0, "https://", 0, 8)
                || image.url().regionMatches(true, 0, "http://", 0, 7)) {
            // Anthropic fetches URL sources itself; TokenHub does not download them.
            block.putObject("source").put("type", "url").put("url", image.url());
        } else {
            throw new InvalidRequestException(
                    OpenAiError.invalidRequest("Image URLs must be https URLs or data: URLs.", image.param()));
        }
        return Optional.of(block);
    }

    /** Tools, tool_choice, parallel_tool_calls and response_format, which all meet in Anthropic's tool fields. */
    private void tools(ObjectNode body, ChatSpec chat) {
        boolean jsonTool = usesJsonTool(chat.responseFormat(), chat.toolChoice());
        ToolChoice choice = chat.toolChoice();
        boolean userToolsUsable = !chat.tools().isEmpty() && (choice == null || choice.mode() != ToolChoice.Mode.NONE);
        ArrayNode tools = json.createArrayNode();
        if (!jsonTool || userToolsUsable) {
            for (FunctionTool tool : chat.tools()) {
                if (jsonTool && tool.name().equals(JSON_TOOL)) {
                    throw new InvalidRequestException(OpenAiError.invalidRequest(
                            "The tool name '" + JSON_TOOL
                                    + "' is reserved by TokenHub for response_format with anthropic.",
                            "tools"));
                }
                ObjectNode t = tools.addObject().put("name", tool.name());
                if (tool.description() != null) {
                    t.put("description", tool.description());
                }
                t.set("input_schema", tool.parameters() != null ? tool.parameters() : emptyObjectSchema());
                cacheControl(t, tool.cacheControl());
            }
        }
        ObjectNode nativeChoice = null;
        if (jsonTool) {
            tools.add(jsonTool(chat.responseFormat()));
            nativeChoice = userToolsUsable
                    ? json.createObjectNode().put("type", "any")
                    : json.createObjectNode().put("type", "tool").put("name", JSON_TOOL);
        } else if (choice != null && !chat.tools().isEmpty()) {
            nativeChoice = switch (choice.mode()) {
                case AUTO -> json.createObjectNode().put("type", "auto");
                case NONE -> json.createObjectNode().put("type", "none");
                case REQUIRED -> json.createObjectNode().put("type", "any");
                case FUNCTION -> json.createObjectNode().put("type", "tool").put("name", choice.function());
            };
        } else if (!chat.tools().isEmpty() && Boolean.FALSE.equals(chat.parallelToolCalls())) {
            nativeChoice = json.createObjectNode().put("type", "auto");
        }
        if (nativeChoice != null
                && Boolean.FALSE.equals(chat.parallelToolCalls())
                && !"none".equals(nativeChoice.path("type").asText())) {
            nativeChoice.put("disable_parallel_tool_use", true);
        }
        if (!tools.isEmpty()) {
            body.set("tools", tools);
        }
        if (nativeChoice != null) {
            body.set("tool_choice", nativeChoice);
        }
    }

    private ObjectNode jsonTool(ResponseFormat format) {
        ObjectNode schema = format.schema() != null
                ? format.schema()
                : json.createObjectNode().put("type", "object");
        if (schema.has("type") && !"object".equals(schema.get("type").asText())) {
            throw new InvalidRequestException(OpenAiError.invalidRequest(
                    "anthropic can only produce JSON objects: " + "the response_format schema must have type 'object'.",
                    "response_format.json_schema.schema"));
        }
        String purpose = format.kind() == ResponseFormat.Kind.JSON_SCHEMA
                ? "Respond with your answer as the input of this tool, a JSON object named '" + format.name() + "'"
                        + (format.description() == null ? "." : ": " + format.description())
                : "Respond with your answer as the input of this tool, a JSON object.";
        ObjectNode tool = json.createObjectNode().put("name", JSON_TOOL).put("description", purpose);
        tool.set("input_schema", schema);
        return tool;
    }

    private ObjectNode emptyObjectSchema() {
        ObjectNode schema = json.createObjectNode().put("type", "object");
        schema.putObject("properties");
        return schema;
    }

    /** JSON was asked for and no tool call is forced: the answer comes through {@link #JSON_TOOL}. */
    static boolean usesJsonTool(ResponseFormat format, ToolChoice choice) {
        return format.json() && (choice == null || !choice.forcesCall());
    }

    /** {@link #usesJsonTool} read straight from the request body, for the way back. */
    static boolean usesJsonTool(ObjectNode body) {
        String format = body.path("response_format").path("type").asText();
        JsonNode choice = body.path("tool_choice");
        boolean forced = "required".equals(choice.asText()) || choice.isObject();
        return (format.equals("json_object") || format.equals("json_schema")) && !forced;
    }

    @Override
    public TranslatedResponse toOpenAiResponse(ChatRequest request, CatalogModel model, byte[] nativeBody) {
        JsonNode message;
        try {
            message = json.readTree(nativeBody);
        } catch (IOException e) {
            throw new UncheckedIOException("provider answered with invalid JSON", e);
        }
        boolean jsonTool = usesJsonTool(request.body());
        StringBuilder text = null;
        ArrayNode calls = json.createArrayNode();
        StringBuilder thinking = new StringBuilder();
        ArrayNode reasoning = json.createArrayNode();
        for (JsonNode block : message.path("content")) {
            String type = block.path("type").asText();
            if (type.equals("thinking")) {
                thinking.append(block.path("thinking").asText());
                reasoning.add(ReasoningDetails.thinking(
                        reasoning.size(),
                        block.path("thinking").asText(),
                        block.path("signature").asText(null)));
            } else if (type.equals("redacted_thinking")) {
                reasoning.add(ReasoningDetails.redacted(
                        reasoning.size(), block.path("data").asText()));
            } else if (type.equals("text")) {
                text = (text == null ? new StringBuilder() : text)
                        .append(block.path("text").asText());
            } else if (type.equals("tool_use")) {
                String input = block.path("input").isMissingNode()
                        ? "{}"
                        : block.get("input").toString();
                if (jsonTool && JSON_TOOL.equals(block.path("name").asText())) {
                    text = (text == null ? new StringBuilder() : text).append(input);
                } else {
                    calls.add(OpenAiShapes.toolCall(
                            block.path("id").asText(), block.path("name").asText(), input));
                }
            }
            // Server-tool blocks have no Chat Completions field.
        }
        AnthropicUsage usage = new AnthropicUsage();
        usage.read(message.path("usage"));
        ArrayNode choices = OpenAiShapes.array();
        choices.add(OpenAiShapes.choice(
                0,
                text == null ? null : text.toString(),
                calls,
                AnthropicStopReasons.toFinishReason(message.path("stop_reason").asText(null), !calls.isEmpty())));
        OpenAiShapes.reasoning((ObjectNode) choices.get(0), thinking.toString(), reasoning);
        ObjectNode out = OpenAiShapes.completion(
                message.path("id").asText(),
                clock.instant().getEpochSecond(),
                message.path("model").asText(model.providerModel()),
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
        return new AnthropicStreamTranslator(
                json, clock.instant().getEpochSecond(), request.includeUsage(), usesJsonTool(request.body()));
    }

    @Override
    public OpenAiError toOpenAiError(int status, MultiMap headers, byte[] nativeBody) {
        return AnthropicErrors.toOpenAiError(json, status, headers, nativeBody);
    }

    /** Anthropic has no seed or penalties. */
    @Override
    public Set<String> ignoredFields() {
        return Set.of("seed", "presence_penalty", "frequency_penalty");
    }
}
