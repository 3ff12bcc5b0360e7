package io.tokenhub.routing.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.routing.openai.ChatSpec.AssistantMessage;
import io.tokenhub.routing.openai.ChatSpec.FunctionTool;
import io.tokenhub.routing.openai.ChatSpec.Image;
import io.tokenhub.routing.openai.ChatSpec.Message;
import io.tokenhub.routing.openai.ChatSpec.Part;
import io.tokenhub.routing.openai.ChatSpec.ResponseFormat;
import io.tokenhub.routing.openai.ChatSpec.SystemMessage;
import io.tokenhub.routing.openai.ChatSpec.Text;
import io.tokenhub.routing.openai.ChatSpec.ToolCall;
import io.tokenhub.routing.openai.ChatSpec.ToolChoice;
import io.tokenhub.routing.openai.ChatSpec.ToolMessage;
import io.tokenhub.routing.openai.ChatSpec.UserMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an OpenAI Chat Completions request into a {@link ChatSpec} for the adapters that translate it, checking it the
 * way the OpenAI API does so a client gets the same 400 whichever provider answers. Fields no translation can honour
 * (logprobs, audio output, the deprecated functions API, web search) are refused with a 400 naming the provider.
 */
public final class ChatSpecReader {

    private ChatSpecReader() {}

    /** Reads and checks {@code body}, or throws the 400 the client should get; {@code provider} names who answers. */
    public static ChatSpec read(ObjectNode body, Provider provider) {
        String p = provider.wireName();
        refuseUntranslatable(body, p);
        List<Message> messages = messages(body.path("messages"), p);
        List<FunctionTool> tools = tools(body.get("tools"));
        ToolChoice toolChoice = toolChoice(body.get("tool_choice"), tools);
        checkToolTurns(messages);
        Integer maxTokens = integer(body, "max_completion_tokens", 1, Integer.MAX_VALUE);
        if (maxTokens == null) {
            maxTokens = integer(body, "max_tokens", 1, Integer.MAX_VALUE);
        }
        Integer n = integer(body, "n", 1, 128);
        JsonNode seed = present(body, "seed");
        if (seed != null && !seed.canConvertToLong()) {
            throw invalid("'seed' must be an integer.", "seed");
        }
        return new ChatSpec(
                messages,
                tools,
                toolChoice,
                responseFormat(body.get("response_format")),
                maxTokens,
                stop(body.get("stop")),
                number(body, "temperature", 0, 2),
                number(body, "top_p", 0, 1),
                n == null ? 1 : n,
                seed == null ? null : seed.longValue(),
                text(body, "user"),
                bool(body, "parallel_tool_calls"),
                number(body, "presence_penalty", -2, 2),
                number(body, "frequency_penalty", -2, 2));
    }

    private static void refuseUntranslatable(ObjectNode body, String provider) {
        if (body.path("logprobs").asBoolean(false) || present(body, "top_logprobs") != null) {
            throw invalid("logprobs are not available from " + provider + ".", "logprobs");
        }
        boolean audioOut = present(body, "audio") != null;
        for (JsonNode modality : body.path("modalities")) {
            audioOut |= "audio".equals(modality.asText());
        }
        if (audioOut) {
            throw invalid("Audio output is not available from " + provider + ".", "modalities");
        }
        for (String legacy : List.of("functions", "function_call")) {
            if (present(body, legacy) != null) {
                throw invalid(
                        "'" + legacy + "' is deprecated and not translated for " + provider
                                + "; use 'tools' and 'tool_choice'.",
                        legacy);
            }
        }
        if (present(body, "web_search_options") != null) {
            throw invalid("Web search is not available from " + provider + ".", "web_search_options");
        }
    }

    private static List<Message> messages(JsonNode messages, String provider) {
        List<Message> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String param = "messages[" + i + "]";
            MessageRole role = MessageRole.of(m, i);
            JsonNode content = m.get("content");
            switch (role) {
                case SYSTEM, DEVELOPER ->
                    out.add(new SystemMessage(marked(textParts(content, param, role, provider), m, param)));
                case USER -> out.add(new UserMessage(marked(userParts(content, param, provider), m, param)));
                case ASSISTANT -> out.add(assistant(m, param, provider));
                case TOOL -> {
                    JsonNode id = m.get("tool_call_id");
                    if (id == null || !id.isTextual() || id.asText().isEmpty()) {
                        throw invalid(
                                "Missing required parameter: '" + param + ".tool_call_id'.", param + ".tool_call_id");
                    }
                    out.add(new ToolMessage(id.asText(), textOnly(content, param, role, provider)));
                }
                case FUNCTION ->
                    throw invalid(
                            "Messages with role 'function' belong to the deprecated functions "
                                    + "API, which is not translated for " + provider + "; use role 'tool'.",
                            param + ".role");
            }
        }
        return out;
    }

    private static AssistantMessage assistant(JsonNode m, String param, String provider) {
        JsonNode content = m.get("content");
        String text =
                content == null || content.isNull() ? null : textOnly(content, param, MessageRole.ASSISTANT, provider);
        List<ToolCall> calls = new ArrayList<>();
        JsonNode toolCalls = m.get("tool_calls");
        if (toolCalls != null && !toolCalls.isNull()) {
            if (!toolCalls.isArray()) {
                throw invalid("'" + param + ".tool_calls' must be an array.", param + ".tool_calls");
            }
            for (int j = 0; j < toolCalls.size(); j++) {
                JsonNode call = toolCalls.get(j);
                String callParam = param + ".tool_calls[" + j + "]";
                JsonNode function = call.path("function");
                if (!call.path("id").isTextual() || !function.path("name").isTextual()) {
                    throw invalid("Each tool call needs an 'id' and a 'function.name'.", callParam);
                }
                JsonNode arguments = function.get("arguments");
                calls.add(new ToolCall(
                        call.get("id").asText(),
                        function.get("name").asText(),
                        arguments == null || arguments.isNull()
                                ? ""
                                : arguments.isTextual() ? arguments.asText() : arguments.toString(),
                        callParam));
            }
        }
        return new AssistantMessage(
                text,
                List.copyOf(calls),
                ReasoningDetails.read(m.get(ReasoningDetails.FIELD), param + ".reasoning_details"));
    }

    /** String content, or text parts joined (assistant refusal parts count as text, as OpenAI stores them). */
    private static String textOnly(JsonNode content, String param, MessageRole role, String provider) {
        return new SystemMessage(textParts(content, param, role, provider)).text();
    }

    /**
     * A message that may hold text only, as its parts: a string content is one part. A text part's prompt-cache
     * breakpoint is kept; the other parts carry none.
     */
    private static List<Text> textParts(JsonNode content, String param, MessageRole role, String provider) {
        if (content == null || content.isNull()) {
            if (role == MessageRole.TOOL) {
                return List.of();
            }
            throw invalid("Missing required parameter: '" + param + ".content'.", param + ".content");
        }
        if (content.isTextual()) {
            return List.of(new Text(content.asText(), null));
        }
        if (!content.isArray()) {
            throw invalid("'" + param + ".content' must be a string or an array of content parts.", param + ".content");
        }
        List<Text> text = new ArrayList<>(content.size());
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String type = part.path("type").asText();
            if (type.equals("text")) {
                text.add(new Text(part.path("text").asText(), CacheControls.read(part, param + ".content[" + j + "]")));
            } else if (type.equals("refusal") && role == MessageRole.ASSISTANT) {
                text.add(new Text(part.path("refusal").asText(), null));
            } else {
                throw invalid(
                        "Content parts of type '" + type + "' are not supported in " + role.wireName()
                                + " messages for " + provider + ".",
                        param + ".content[" + j + "].type");
            }
        }
        return List.copyOf(text);
    }

    private static List<Part> userParts(JsonNode content, String param, String provider) {
        if (content == null || content.isNull()) {
            throw invalid("Missing required parameter: '" + param + ".content'.", param + ".content");
        }
        if (content.isTextual()) {
            return List.of(new Text(content.asText(), null));
        }
        if (!content.isArray() || content.isEmpty()) {
            throw invalid(
                    "'" + param + ".content' must be a string or a non-empty array of content parts.",
                    param + ".content");
        }
        List<Part> parts = new ArrayList<>(content.size());
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String partParam = param + ".content[" + j + "]";
            String type = part.path("type").asText();
            switch (type) {
                case "text" -> parts.add(new Text(part.path("text").asText(), CacheControls.read(part, partParam)));
                case "image_url" -> {
                    JsonNode image = part.path("image_url");
                    JsonNode url = image.isTextual() ? image : image.path("url");
                    if (!url.isTextual() || url.asText().isEmpty()) {
                        throw invalid(
                                "Missing required parameter: '" + partParam + ".image_url.url'.",
                                partParam + ".image_url.url");
                    }
                    parts.add(new Image(
                            url.asText(),
                            image.path("detail").asText(null),
                            partParam + ".image_url.url",
                            CacheControls.read(part, partParam)));
                }
                default ->
                    throw invalid(
                            "Content parts of type '" + type + "' are not supported for " + provider
                                    + "; text and image_url are.",
                            partParam + ".type");
            }
        }
        return List.copyOf(parts);
    }

    /**
     * {@code parts} with the message's own breakpoint ({@code messages[i].cache_control}) on its last part, which is
     * where the prompt the message ends is cut for the cache; a part's own breakpoint stays where it is.
     */
    private static <P extends Part> List<P> marked(List<P> parts, JsonNode message, String param) {
        ChatSpec.CacheControl mark = CacheControls.read(message, param);
        if (mark == null || parts.isEmpty()) {
            return parts;
        }
        List<P> out = new ArrayList<>(parts);
        // Safe: a Text marks into a Text and an Image into an Image.
        @SuppressWarnings("unchecked")
        P last = (P) out.get(out.size() - 1).marked(mark);
        out.set(out.size() - 1, last);
        return List.copyOf(out);
    }

    /**
     * OpenAI's pairing rule, which every provider enforces in its own words: a tool message answers a call of the
     * assistant turn before it, and every call is answered before the conversation moves on.
     */
    private static void checkToolTurns(List<Message> messages) {
        Set<String> open = new LinkedHashSet<>();
        Set<String> issued = new HashSet<>();
        int callingTurn = -1;
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (m instanceof ToolMessage tool) {
                if (!issued.contains(tool.toolCallId())) {
                    throw invalid(
                            "Invalid parameter: messages with role 'tool' must be a response to a preceeding "
                                    + "message with 'tool_calls'.",
                            "messages.[" + i + "].role");
                }
                open.remove(tool.toolCallId());
                continue;
            }
            if (!open.isEmpty()) {
                throw invalid(
                        "An assistant message with 'tool_calls' must be followed by tool messages responding "
                                + "to each 'tool_call_id'. The following tool_call_ids did not have response messages: "
                                + String.join(", ", open),
                        "messages.[" + callingTurn + "].role");
            }
            if (m instanceof AssistantMessage a && !a.toolCalls().isEmpty()) {
                callingTurn = i;
                issued.clear();
                for (ToolCall call : a.toolCalls()) {
                    open.add(call.id());
                    issued.add(call.id());
                }
            }
        }
    }

    private static List<FunctionTool> tools(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw invalid("'tools' must be an array.", "tools");
        }
        List<FunctionTool> out = new ArrayList<>(tools.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            if (!"function".equals(tool.path("type").asText())) {
                throw invalid(
                        "Only tools of type 'function' can be translated for this provider.", "tools[" + i + "].type");
            }
            JsonNode function = tool.path("function");
            String name = function.path("name").asText("");
            if (name.isEmpty()) {
                throw invalid(
                        "Missing required parameter: 'tools[" + i + "].function.name'.",
                        "tools[" + i + "].function.name");
            }
            if (!names.add(name)) {
                throw invalid("Tool names must be unique; '" + name + "' is listed twice.", "tools");
            }
            JsonNode parameters = function.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw invalid(
                        "'tools[" + i + "].function.parameters' must be a JSON Schema object.",
                        "tools[" + i + "].function.parameters");
            }
            out.add(new FunctionTool(
                    name,
                    function.path("description").asText(null),
                    parameters instanceof ObjectNode o ? o : null,
                    function.path("strict").isBoolean() ? function.get("strict").asBoolean() : null,
                    CacheControls.read(tool, "tools[" + i + "]")));
        }
        return List.copyOf(out);
    }

    private static ToolChoice toolChoice(JsonNode choice, List<FunctionTool> tools) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        ToolChoice parsed;
        if (choice.isTextual()) {
            parsed = switch (choice.asText()) {
                case "auto" -> new ToolChoice(ToolChoice.Mode.AUTO, null);
                case "none" -> new ToolChoice(ToolChoice.Mode.NONE, null);
                case "required" -> new ToolChoice(ToolChoice.Mode.REQUIRED, null);
                default ->
                    throw invalid(
                            "Invalid value: '" + choice.asText() + "'. Supported values are: 'none', "
                                    + "'auto' and 'required'.",
                            "tool_choice");
            };
        } else if ("function".equals(choice.path("type").asText())
                && choice.path("function").path("name").isTextual()) {
            String name = choice.get("function").get("name").asText();
            if (tools.stream().noneMatch(t -> t.name().equals(name))) {
                throw invalid(
                        "Invalid value for 'tool_choice': no function named '" + name + "' was specified in "
                                + "the 'tools' parameter.",
                        "tool_choice");
            }
            parsed = new ToolChoice(ToolChoice.Mode.FUNCTION, name);
        } else {
            throw invalid(
                    "'tool_choice' must be 'none', 'auto', 'required' or {\"type\": \"function\", "
                            + "\"function\": {\"name\": ...}}; allowed_tools and custom tools are not translated.",
                    "tool_choice");
        }
        if (parsed.forcesCall() && tools.isEmpty()) {
            throw invalid(
                    "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are " + "specified.",
                    "tool_choice");
        }
        return parsed;
    }

    private static ResponseFormat responseFormat(JsonNode format) {
        if (format == null || format.isNull()) {
            return ResponseFormat.TEXT;
        }
        String type = format.path("type").asText();
        return switch (type) {
            case "text" -> ResponseFormat.TEXT;
            case "json_object" -> new ResponseFormat(ResponseFormat.Kind.JSON_OBJECT, null, null, null, null);
            case "json_schema" -> {
                JsonNode schema = format.path("json_schema");
                if (!schema.path("name").isTextual()) {
                    throw invalid(
                            "Missing required parameter: 'response_format.json_schema.name'.",
                            "response_format.json_schema.name");
                }
                JsonNode body = schema.get("schema");
                if (body != null && !body.isNull() && !body.isObject()) {
                    throw invalid(
                            "'response_format.json_schema.schema' must be a JSON Schema object.",
                            "response_format.json_schema.schema");
                }
                yield new ResponseFormat(
                        ResponseFormat.Kind.JSON_SCHEMA,
                        schema.get("name").asText(),
                        schema.path("description").asText(null),
                        body instanceof ObjectNode o ? o : null,
                        schema.path("strict").isBoolean() ? schema.get("strict").asBoolean() : null);
            }
            default ->
                throw invalid(
                        "Invalid value: '" + type + "'. Supported values are: 'text', 'json_object' "
                                + "and 'json_schema'.",
                        "response_format.type");
        };
    }

    private static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(stop.asText());
        }
        if (!stop.isArray() || stop.size() > 4) {
            throw invalid("'stop' must be a string or an array of at most 4 strings.", "stop");
        }
        List<String> out = new ArrayList<>(stop.size());
        for (JsonNode s : stop) {
            if (!s.isTextual()) {
                throw invalid("'stop' must be a string or an array of at most 4 strings.", "stop");
            }
            out.add(s.asText());
        }
        return List.copyOf(out);
    }

    private static JsonNode present(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private static Integer integer(ObjectNode body, String field, int min, int max) {
        JsonNode value = present(body, field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()
                || value.doubleValue() % 1 != 0
                || !value.canConvertToInt()
                || value.intValue() < min
                || value.intValue() > max) {
            throw invalid(
                    "Invalid '" + field + "': expected an integer from " + min
                            + (max == Integer.MAX_VALUE ? " up" : " to " + max) + ".",
                    field);
        }
        return value.intValue();
    }

    private static Double number(ObjectNode body, String field, double min, double max) {
        JsonNode value = present(body, field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber() || value.doubleValue() < min || value.doubleValue() > max) {
            throw invalid("Invalid '" + field + "': expected a number from " + min + " to " + max + ".", field);
        }
        return value.doubleValue();
    }

    private static Boolean bool(ObjectNode body, String field) {
        JsonNode value = present(body, field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw invalid("'" + field + "' must be a boolean.", field);
        }
        return value.booleanValue();
    }

    private static String text(ObjectNode body, String field) {
        JsonNode value = present(body, field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid("'" + field + "' must be a string.", field);
        }
        return value.asText();
    }

    static InvalidRequestException invalid(String message, String param) {
        return new InvalidRequestException(OpenAiError.invalidRequest(message, param));
    }
}
