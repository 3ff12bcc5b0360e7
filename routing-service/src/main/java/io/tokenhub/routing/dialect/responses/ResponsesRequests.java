package io.tokenhub.routing.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A Responses API request (https://platform.openai.com/docs/api-reference/responses/create) as the Chat Completions
 * request every provider adapter takes. What TokenHub cannot honour gets a 400 naming the field and saying what to do
 * instead, never a silent drop: stored state (TokenHub keeps no content), built-in tools, templates stored at OpenAI.
 */
final class ResponsesRequests {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Fields carried over under the same name and meaning. */
    private static final Set<String> SAME = Set.of(
            "model",
            "temperature",
            "top_p",
            "parallel_tool_calls",
            "metadata",
            "user",
            "safety_identifier",
            "prompt_cache_key",
            "service_tier",
            // OpenRouter's routing fields, read with the chat request.
            "models",
            "provider");

    /** Fields translated below. */
    private static final Set<String> TRANSLATED = Set.of(
            "input",
            "instructions",
            "tools",
            "tool_choice",
            "text",
            "max_output_tokens",
            "reasoning",
            "stream",
            "store",
            "truncation",
            "include",
            "previous_response_id",
            "conversation",
            "background",
            "prompt",
            "max_tool_calls",
            "stream_options");

    /** Why a field that needs state kept at the provider cannot be honoured, keyed by field. */
    private static final Map<String, String> STATEFUL = Map.of(
            "previous_response_id",
            "TokenHub stores no prompts or answers, so there is no earlier response to continue from. Send the whole "
                    + "conversation in 'input' instead: the earlier input items, then the earlier response's 'output' "
                    + "items, then the new input.",
            "conversation",
            "TokenHub stores no prompts or answers, so it keeps no conversations. Send the whole conversation in "
                    + "'input' instead.",
            "prompt",
            "Prompt templates are stored in an OpenAI project, which TokenHub cannot read. Send the prompt's text in "
                    + "'instructions' and 'input' instead.");

    private ResponsesRequests() {}

    /** The Chat Completions body for {@code request}, or the 400 the client should get. */
    static ObjectNode toChat(ObjectNode request) {
        for (Iterator<String> fields = request.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!SAME.contains(field) && !TRANSLATED.contains(field)) {
                throw invalid("Unrecognized request argument supplied: " + field, field);
            }
        }
        refuseState(request);
        ObjectNode chat = NODES.objectNode();
        for (String field : SAME) {
            JsonNode value = request.get(field);
            if (value != null && !value.isNull()) {
                chat.set(field, value);
            }
        }
        ArrayNode messages = chat.putArray("messages");
        JsonNode instructions = request.get("instructions");
        if (instructions != null && !instructions.isNull()) {
            if (!instructions.isTextual()) {
                throw invalid("'instructions' must be a string.", "instructions");
            }
            messages.addObject().put("role", "system").put("content", instructions.asText());
        }
        input(request.get("input"), messages);
        tools(request.get("tools"), chat);
        toolChoice(request.get("tool_choice"), chat);
        text(request.path("text"), chat);
        JsonNode maxOutput = request.get("max_output_tokens");
        if (maxOutput != null && !maxOutput.isNull()) {
            if (!maxOutput.canConvertToInt() || !maxOutput.isIntegralNumber() || maxOutput.asInt() < 1) {
                throw invalid("'max_output_tokens' must be a positive integer.", "max_output_tokens");
            }
            chat.put("max_completion_tokens", maxOutput.asInt());
        }
        JsonNode effort = request.path("reasoning").path("effort");
        if (!effort.isMissingNode() && !effort.isNull()) {
            chat.set("reasoning_effort", effort);
        }
        JsonNode stream = request.get("stream");
        if (stream != null && !stream.isNull()) {
            if (!stream.isBoolean()) {
                throw invalid("'stream' must be a boolean.", "stream");
            }
            chat.set("stream", stream);
            if (stream.asBoolean()) {
                // response.completed always carries usage, so the chat stream must end with it.
                chat.putObject("stream_options").put("include_usage", true);
            }
        }
        return chat;
    }

    private static void refuseState(ObjectNode request) {
        for (Map.Entry<String, String> stateful : STATEFUL.entrySet()) {
            JsonNode value = request.get(stateful.getKey());
            if (value != null && !value.isNull()) {
                throw invalid(stateful.getValue(), stateful.getKey());
            }
        }
        if (request.path("background").asBoolean(false)) {
            throw invalid(
                    "Background responses are kept at the provider to be polled later, and TokenHub stores no "
                            + "answers. Leave 'background' out and stream the response instead.",
                    "background");
        }
        JsonNode truncation = request.path("truncation");
        if (!truncation.isMissingNode() && !truncation.isNull() && !"disabled".equals(truncation.asText())) {
            throw invalid(
                    "Only truncation 'disabled' is offered through TokenHub: it never drops parts of your input.",
                    "truncation");
        }
        JsonNode include = request.path("include");
        if (include.isArray() && !include.isEmpty()) {
            throw invalid(
                    "'include' is not offered through TokenHub: it asks for data kept at OpenAI ("
                            + include.get(0).asText() + "). Leave it out.",
                    "include");
        }
        JsonNode maxToolCalls = request.path("max_tool_calls");
        if (!maxToolCalls.isMissingNode() && !maxToolCalls.isNull()) {
            throw invalid(
                    "'max_tool_calls' limits built-in tools, which TokenHub does not offer. Leave it out.",
                    "max_tool_calls");
        }
    }

    /** {@code input}: a string (one user message) or a list of items. */
    private static void input(JsonNode input, ArrayNode messages) {
        if (input == null || input.isNull()) {
            throw invalid("Missing required parameter: 'input'.", "input");
        }
        if (input.isTextual()) {
            messages.addObject().put("role", "user").put("content", input.asText());
            return;
        }
        if (!input.isArray() || input.isEmpty()) {
            throw invalid("'input' must be a string or a non-empty array of input items.", "input");
        }
        for (int i = 0; i < input.size(); i++) {
            item(input.get(i), "input[" + i + "]", messages);
        }
    }

    private static void item(JsonNode item, String at, ArrayNode messages) {
        if (!item.isObject()) {
            throw invalid("Each input item must be an object.", at);
        }
        String type = item.path("type").asText("message");
        switch (type) {
            case "message" -> message(item, at, messages);
            case "function_call" -> functionCall(item, at, messages);
            case "function_call_output" -> {
                ObjectNode tool = messages.addObject().put("role", "tool");
                tool.put("tool_call_id", required(item, "call_id", at));
                tool.put("content", outputText(item.path("output"), at + ".output"));
            }
            // Reasoning items carry the provider's encrypted thinking from an earlier turn; another provider, or a
            // chat request, cannot take it back, and the answer does not depend on it.
            case "reasoning" -> {}
            default ->
                throw invalid(
                        "Input items of type '" + type + "' are not offered through TokenHub: they refer to built-in "
                                + "tools or to items stored at OpenAI. Send messages, function_call and "
                                + "function_call_output items.",
                        at + ".type");
        }
    }

    private static void message(JsonNode item, String at, ArrayNode messages) {
        String role = item.path("role").asText("");
        if (!Set.of("user", "system", "developer", "assistant").contains(role)) {
            throw invalid(
                    "Invalid value: '" + role + "'. Supported values are: 'user', 'system', 'developer' and "
                            + "'assistant'.",
                    at + ".role");
        }
        JsonNode content = item.path("content");
        ObjectNode message = messages.addObject().put("role", role);
        if (content.isTextual()) {
            message.put("content", content.asText());
            return;
        }
        if (!content.isArray()) {
            throw invalid("'content' must be a string or an array of content parts.", at + ".content");
        }
        if (role.equals("assistant")) {
            // An earlier answer sent back: its text parts are one assistant message.
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                text.append(part.path("text").asText(part.path("refusal").asText("")));
            }
            message.put("content", text.toString());
            return;
        }
        ArrayNode parts = message.putArray("content");
        for (int p = 0; p < content.size(); p++) {
            part(content.get(p), at + ".content[" + p + "]", parts);
        }
    }

    private static void part(JsonNode part, String at, ArrayNode parts) {
        String type = part.path("type").asText("");
        switch (type) {
            case "input_text", "output_text" ->
                parts.addObject().put("type", "text").put("text", required(part, "text", at));
            case "input_image" -> {
                JsonNode url = part.path("image_url");
                if (!url.isTextual()) {
                    throw invalid(
                            "Images must be sent as 'image_url' (a URL or a data URL): TokenHub cannot read files "
                                    + "uploaded to OpenAI.",
                            at + ".image_url");
                }
                ObjectNode image = parts.addObject().put("type", "image_url").putObject("image_url");
                image.put("url", url.asText());
                if (part.path("detail").isTextual()) {
                    image.put("detail", part.path("detail").asText());
                }
            }
            default ->
                throw invalid(
                        "Content parts of type '" + type + "' are not offered through TokenHub. Send input_text and "
                                + "input_image parts.",
                        at + ".type");
        }
    }

    /** Function calls of one earlier turn belong to one assistant message, after its text when it had some. */
    private static void functionCall(JsonNode item, String at, ArrayNode messages) {
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        ObjectNode assistant;
        if (last != null && "assistant".equals(last.path("role").asText())) {
            assistant = (ObjectNode) last;
        } else {
            assistant = messages.addObject().put("role", "assistant");
            assistant.putNull("content");
        }
        ArrayNode calls = assistant.has("tool_calls")
                ? (ArrayNode) assistant.get("tool_calls")
                : assistant.putArray("tool_calls");
        ObjectNode call =
                calls.addObject().put("id", required(item, "call_id", at)).put("type", "function");
        call.putObject("function")
                .put("name", required(item, "name", at))
                .put("arguments", required(item, "arguments", at));
    }

    private static String outputText(JsonNode output, String at) {
        if (output.isTextual()) {
            return output.asText();
        }
        if (!output.isArray()) {
            throw invalid("'output' must be a string or an array of content parts.", at);
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : output) {
            if (!"input_text".equals(part.path("type").asText())) {
                throw invalid("Function call outputs can hold input_text parts only through TokenHub.", at);
            }
            text.append(part.path("text").asText());
        }
        return text.toString();
    }

    private static void tools(JsonNode tools, ObjectNode chat) {
        if (tools == null || tools.isNull()) {
            return;
        }
        if (!tools.isArray()) {
            throw invalid("'tools' must be an array.", "tools");
        }
        ArrayNode out = chat.putArray("tools");
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String type = tool.path("type").asText("");
            if (!type.equals("function")) {
                throw invalid(
                        "Built-in tool '" + type + "' is not offered through TokenHub, for any model: it runs at the "
                                + "provider and keeps state there. Use function tools and run the tool yourself.",
                        "tools[" + i + "].type");
            }
            ObjectNode function = out.addObject().put("type", "function").putObject("function");
            function.put("name", required(tool, "name", "tools[" + i + "]"));
            for (String field : new String[] {"description", "parameters", "strict"}) {
                JsonNode value = tool.get(field);
                if (value != null && !value.isNull()) {
                    function.set(field, value);
                }
            }
        }
    }

    private static void toolChoice(JsonNode choice, ObjectNode chat) {
        if (choice == null || choice.isNull()) {
            return;
        }
        if (choice.isTextual()) {
            chat.set("tool_choice", choice);
            return;
        }
        if ("function".equals(choice.path("type").asText())
                && choice.path("name").isTextual()) {
            chat.putObject("tool_choice")
                    .put("type", "function")
                    .putObject("function")
                    .put("name", choice.path("name").asText());
            return;
        }
        throw invalid(
                "'tool_choice' must be 'none', 'auto', 'required' or {\"type\": \"function\", \"name\": ...} through "
                        + "TokenHub.",
                "tool_choice");
    }

    /** {@code text.format} and {@code text.verbosity}. */
    private static void text(JsonNode text, ObjectNode chat) {
        if (text.path("verbosity").isTextual()) {
            chat.set("verbosity", text.path("verbosity"));
        }
        JsonNode format = text.path("format");
        if (format.isMissingNode() || format.isNull()) {
            return;
        }
        String type = format.path("type").asText("");
        switch (type) {
            case "text" -> {}
            case "json_object" -> chat.putObject("response_format").put("type", "json_object");
            case "json_schema" -> {
                ObjectNode schema = chat.putObject("response_format")
                        .put("type", "json_schema")
                        .putObject("json_schema");
                schema.put("name", required(format, "name", "text.format"));
                for (String field : new String[] {"description", "schema", "strict"}) {
                    JsonNode value = format.get(field);
                    if (value != null && !value.isNull()) {
                        schema.set(field, value);
                    }
                }
            }
            default ->
                throw invalid(
                        "Invalid value: '" + type + "'. Supported values are: 'text', 'json_object' and 'json_schema'.",
                        "text.format.type");
        }
    }

    private static String required(JsonNode node, String field, String at) {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw invalid("Missing required parameter: '" + at + "." + field + "'.", at + "." + field);
        }
        return value.asText();
    }

    private static InvalidRequestException invalid(String message, String param) {
        return new InvalidRequestException(OpenAiError.invalidRequest(message, param));
    }
}
