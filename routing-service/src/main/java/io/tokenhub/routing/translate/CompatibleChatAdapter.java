package io.tokenhub.routing.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.wire.ProviderWire;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.ChatSpec;
import io.tokenhub.routing.openai.ChatSpec.AssistantMessage;
import io.tokenhub.routing.openai.ChatSpec.FunctionTool;
import io.tokenhub.routing.openai.ChatSpec.Image;
import io.tokenhub.routing.openai.ChatSpec.Message;
import io.tokenhub.routing.openai.ChatSpec.Part;
import io.tokenhub.routing.openai.ChatSpec.SystemMessage;
import io.tokenhub.routing.openai.ChatSpec.Text;
import io.tokenhub.routing.openai.ChatSpec.ToolCall;
import io.tokenhub.routing.openai.ChatSpec.ToolMessage;
import io.tokenhub.routing.openai.ChatSpec.UserMessage;
import io.tokenhub.routing.openai.ChatSpecReader;
import io.tokenhub.routing.openai.FinishReason;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.spi.FailedAnswerException;
import io.tokenhub.routing.spi.NativeRequest;
import io.tokenhub.routing.spi.ProviderAdapter;
import io.tokenhub.routing.spi.StreamTranslator;
import io.tokenhub.routing.spi.TranslatedResponse;
import io.tokenhub.routing.spi.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.UUID;

/**
 * The providers whose chat API is shaped like OpenAI's Chat Completions but is not OpenAI's (Mistral; Meta's Llama API
 * through its compatibility endpoint). Nothing is passed through blindly: the request is rebuilt from {@link ChatSpec}
 * with only the fields the provider's schema has (Mistral refuses any other field with a 422), and answers and chunks
 * are rebuilt in OpenAI's shape, so a provider's extra or missing fields never reach the client. Each subclass states
 * its dialect: path, the fields only it has, its tool-call ids, its finish reasons and its cached-token field.
 * Subclasses are {@code @Singleton} beans: stateless, and a client proxy cannot subclass a constructor-injected base.
 */
public abstract class CompatibleChatAdapter implements ProviderAdapter {

    protected final ObjectMapper json;
    private final Clock clock;

    protected CompatibleChatAdapter(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /** Who this adapter speaks to, for error messages. */
    protected abstract Provider provider();

    /** Adds the dialect's own fields (length limit, seed, stop, n, response format, stream options). */
    protected abstract void dialect(ObjectNode body, ChatSpec chat, ChatRequest request);

    /**
     * The provider's finish reason as OpenAI's; null when the provider reports that generation failed, which reaches
     * the client as an error.
     */
    protected abstract FinishReason finishReason(String reason);

    /** The id the provider accepts for a tool call id a client sends back; unchanged by default. */
    protected String nativeToolCallId(String id) {
        return id;
    }

    /** The cached part of the prompt in the provider's usage object; OpenAI's field by default. */
    protected long cachedTokens(JsonNode usage) {
        return usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    }

    /** The temperature to send, for providers whose range is narrower than OpenAI's; unchanged by default. */
    protected double temperature(double requested) {
        return requested;
    }

    @Override
    public NativeRequest toNativeRequest(ChatRequest request, CatalogModel model, String apiKey) {
        ChatSpec chat = ChatSpecReader.read(request.body(), provider());
        ObjectNode body = json.createObjectNode().put("model", model.providerModel());
        ArrayNode messages = body.putArray("messages");
        chat.messages().forEach(m -> messages.add(message(m)));
        if (chat.temperature() != null) {
            body.put("temperature", temperature(chat.temperature()));
        }
        if (chat.topP() != null) {
            body.put("top_p", chat.topP());
        }
        if (!chat.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            chat.tools().forEach(t -> tools.add(tool(t)));
            if (chat.toolChoice() != null) {
                body.set(
                        "tool_choice",
                        switch (chat.toolChoice().mode()) {
                            case AUTO -> json.getNodeFactory().textNode("auto");
                            case NONE -> json.getNodeFactory().textNode("none");
                            case REQUIRED -> json.getNodeFactory().textNode("required");
                            case FUNCTION -> {
                                ObjectNode named = json.createObjectNode().put("type", "function");
                                named.putObject("function")
                                        .put("name", chat.toolChoice().function());
                                yield named;
                            }
                        });
            }
        }
        dialect(body, chat, request);
        if (request.stream()) {
            body.put("stream", true);
        }
        try {
            ProviderWire wire = ProviderWire.of(provider());
            return new NativeRequest(wire.chatPath(), wire.jsonHeaders(apiKey), json.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode message(Message m) {
        ObjectNode out = json.createObjectNode();
        if (m instanceof SystemMessage system) {
            out.put("role", "system").put("content", system.text());
        } else if (m instanceof UserMessage user) {
            out.put("role", "user");
            if (user.plainText() != null) {
                out.put("content", user.plainText());
            } else {
                ArrayNode parts = out.putArray("content");
                user.parts().forEach(p -> parts.add(part(p)));
            }
        } else if (m instanceof AssistantMessage assistant) {
            out.put("role", "assistant");
            if (assistant.text() != null) {
                out.put("content", assistant.text());
            }
            if (!assistant.toolCalls().isEmpty()) {
                ArrayNode calls = out.putArray("tool_calls");
                for (ToolCall call : assistant.toolCalls()) {
                    calls.add(OpenAiShapes.toolCall(nativeToolCallId(call.id()), call.name(), call.arguments()));
                }
            }
        } else {
            ToolMessage tool = (ToolMessage) m;
            out.put("role", "tool")
                    .put("content", tool.text())
                    .put("tool_call_id", nativeToolCallId(tool.toolCallId()));
        }
        return out;
    }

    private ObjectNode part(Part part) {
        if (part instanceof Text text) {
            return json.createObjectNode().put("type", "text").put("text", text.text());
        }
        Image image = (Image) part;
        // Both providers take https and data: URLs as OpenAI does; a malformed data: URL is refused here already.
        DataUrl.parse(image.url(), image.param());
        ObjectNode out = json.createObjectNode().put("type", "image_url");
        ObjectNode url = out.putObject("image_url").put("url", image.url());
        if (image.detail() != null) {
            url.put("detail", image.detail());
        }
        return out;
    }

    private ObjectNode tool(FunctionTool tool) {
        ObjectNode out = json.createObjectNode().put("type", "function");
        ObjectNode function = out.putObject("function").put("name", tool.name());
        if (tool.description() != null) {
            function.put("description", tool.description());
        }
        if (tool.parameters() != null) {
            function.set("parameters", tool.parameters());
        }
        if (tool.strict() != null) {
            function.put("strict", tool.strict());
        }
        return out;
    }

    @Override
    public TranslatedResponse toOpenAiResponse(ChatRequest request, CatalogModel model, byte[] nativeBody) {
        JsonNode response;
        try {
            response = json.readTree(nativeBody);
        } catch (IOException e) {
            throw new UncheckedIOException("provider answered with invalid JSON", e);
        }
        JsonNode usageNode = response.path("usage");
        Usage usage = usage(usageNode);
        ArrayNode choices = OpenAiShapes.array();
        JsonNode nativeChoices = response.path("choices");
        for (int i = 0; i < nativeChoices.size(); i++) {
            JsonNode choice = nativeChoices.get(i);
            JsonNode message = choice.path("message");
            ArrayNode calls = json.createArrayNode();
            for (JsonNode call : message.path("tool_calls")) {
                calls.add(OpenAiShapes.toolCall(
                        call.path("id").asText(),
                        call.path("function").path("name").asText(),
                        arguments(call.path("function").get("arguments"))));
            }
            FinishReason finish = finishReason(choice.path("finish_reason").asText(null));
            if (finish == null) {
                throw new FailedAnswerException(generationFailed(), usage);
            }
            choices.add(
                    OpenAiShapes.choice(choice.path("index").asInt(i), text(message.get("content")), calls, finish));
        }
        ObjectNode out = OpenAiShapes.completion(
                id(response),
                response.path("created").asLong(clock.instant().getEpochSecond()),
                response.path("model").asText(model.providerModel()),
                choices,
                usageJson(usage, usageNode));
        try {
            return new TranslatedResponse(json.writeValueAsBytes(out), usage);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public StreamTranslator newStreamTranslator(ChatRequest request, CatalogModel model) {
        return new CompatibleStreamTranslator(
                this, clock.instant().getEpochSecond(), request.includeUsage(), model.providerModel());
    }

    OpenAiError generationFailed() {
        return OpenAiError.badGateway(provider().wireName() + " reported an error while generating the answer.");
    }

    Usage usage(JsonNode usage) {
        return usage.isObject()
                ? new Usage(
                        usage.path("prompt_tokens").asLong(0),
                        usage.path("completion_tokens").asLong(0),
                        cachedTokens(usage))
                : Usage.NONE;
    }

    static ObjectNode usageJson(Usage usage, JsonNode nativeUsage) {
        return OpenAiShapes.usage(
                usage,
                nativeUsage
                        .path("completion_tokens_details")
                        .path("reasoning_tokens")
                        .asLong(0));
    }

    static String id(JsonNode response) {
        String id = response.path("id").asText("");
        return id.isEmpty() ? "chatcmpl-" + UUID.randomUUID().toString().replace("-", "") : id;
    }

    /** Message or delta content as text: a string, or the text of content chunks (thinking chunks left out). */
    static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return null;
        }
        if (!content.isArray()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode chunk : content) {
            if ("text".equals(chunk.path("type").asText())) {
                text.append(chunk.path("text").asText());
            }
        }
        return text.toString();
    }

    /** Tool arguments as JSON text; Mistral may send them as an object. */
    static String arguments(JsonNode arguments) {
        if (arguments == null || arguments.isNull()) {
            return "";
        }
        return arguments.isTextual() ? arguments.asText() : arguments.toString();
    }
}
