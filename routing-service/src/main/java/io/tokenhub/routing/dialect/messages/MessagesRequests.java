package io.tokenhub.routing.dialect.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.routing.openai.CacheControls;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.openai.ReasoningDetails;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * An Anthropic Messages request (https://docs.claude.com/en/api/messages) as the Chat Completions request every
 * provider adapter takes, Anthropic's own included. What TokenHub cannot honour gets a 400 naming the field and
 * saying what to do instead: server tools, documents, features kept at Anthropic. Hints that only tune how an answer
 * is made ({@code top_k}, the top-level automatic {@code cache_control}) are dropped: no other provider has them, and
 * the answer keeps its shape without them. A {@code cache_control} breakpoint on a system text block, a user text or
 * image block or a tool is carried onto the chat part or tool made from it, where the Anthropic adapter puts it back
 * on the same block, so a Claude request keeps its prompt caching; other providers drop it and say so.
 */
final class MessagesRequests {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Fields carried over under the same name and meaning. */
    private static final Set<String> SAME = Set.of("model", "temperature", "top_p");

    /** Fields translated, or dropped for the reason above, below. */
    private static final Set<String> TRANSLATED = Set.of(
            "messages",
            "system",
            "max_tokens",
            "stop_sequences",
            "stream",
            "metadata",
            "tools",
            "tool_choice",
            "thinking",
            "service_tier",
            "top_k",
            "cache_control");

    /**
     * The fields of a {@code count_tokens} request (https://docs.claude.com/en/api/messages-count-tokens): the prompt
     * without what only shapes the answer.
     */
    private static final Set<String> COUNTED =
            Set.of("model", "messages", "system", "tools", "tool_choice", "thinking", "cache_control");

    /** Why a field that runs or keeps something at Anthropic cannot be honoured, keyed by field. */
    private static final Map<String, String> AT_ANTHROPIC = Map.of(
            "container",
            "Containers are kept at Anthropic for its code execution tool, which TokenHub does not offer. Leave "
                    + "'container' out.",
            "mcp_servers",
            "MCP servers are called by Anthropic's servers, which TokenHub does not offer for any model. Call your MCP "
                    + "tools yourself as custom tools.",
            "context_management",
            "Context management edits the conversation kept at Anthropic, which TokenHub does not offer. Send the "
                    + "conversation you want answered.");

    /**
     * Thinking budgets as Chat Completions' reasoning efforts: up to 4k tokens is a light think, up to 16k a medium
     * one, more is high. Anthropic's minimum budget is 1024 tokens.
     */
    private static final int LOW_BUDGET_MAX = 4_096;

    private static final int MEDIUM_BUDGET_MAX = 16_384;

    /** Anthropic's smallest thinking budget. */
    private static final int MIN_BUDGET = 1_024;

    /** The media types Anthropic's base64 image sources take. */
    private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

    private MessagesRequests() {}

    /** The Chat Completions body for {@code request}, or the 400 the client should get. */
    static ObjectNode toChat(ObjectNode request) {
        checkFields(request, false);
        ObjectNode chat = NODES.objectNode();
        for (String field : SAME) {
            JsonNode value = request.get(field);
            if (value != null && !value.isNull()) {
                chat.set(field, value);
            }
        }
        JsonNode maxTokens = request.get("max_tokens");
        if (maxTokens == null || maxTokens.isNull()) {
            throw invalid("max_tokens: Field required");
        }
        if (!maxTokens.isIntegralNumber() || !maxTokens.canConvertToInt() || maxTokens.asInt() < 1) {
            throw invalid("max_tokens: must be a positive integer (TokenHub does not offer cache pre-warming with 0).");
        }
        chat.put("max_completion_tokens", maxTokens.asInt());
        ArrayNode messages = chat.putArray("messages");
        system(request.get("system"), messages);
        conversation(request.get("messages"), messages);
        stop(request.get("stop_sequences"), chat);
        JsonNode user = request.path("metadata").path("user_id");
        if (user.isTextual()) {
            chat.set("user", user);
        }
        tools(request.get("tools"), chat);
        toolChoice(request.get("tool_choice"), chat);
        thinking(request.get("thinking"), chat, maxTokens.asInt());
        serviceTier(request.get("service_tier"), chat);
        JsonNode stream = request.get("stream");
        if (stream != null && !stream.isNull()) {
            if (!stream.isBoolean()) {
                throw invalid("stream: Input should be a valid boolean");
            }
            chat.set("stream", stream);
            if (stream.asBoolean()) {
                // message_delta always carries the usage, so the chat stream must end with it.
                chat.putObject("stream_options").put("include_usage", true);
            }
        }
        return chat;
    }

    /** The Chat Completions body whose prompt a {@code count_tokens} request counts, or its 400. */
    static ObjectNode toCountedChat(ObjectNode request) {
        checkFields(request, true);
        ObjectNode chat = NODES.objectNode();
        chat.set("model", request.get("model"));
        ArrayNode messages = chat.putArray("messages");
        system(request.get("system"), messages);
        conversation(request.get("messages"), messages);
        tools(request.get("tools"), chat);
        toolChoice(request.get("tool_choice"), chat);
        thinking(request.get("thinking"), chat, Integer.MAX_VALUE);
        return chat;
    }

    private static void checkFields(ObjectNode request, boolean counting) {
        for (Iterator<String> fields = request.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (AT_ANTHROPIC.containsKey(field)) {
                throw invalid(AT_ANTHROPIC.get(field));
            }
            boolean known = counting ? COUNTED.contains(field) : SAME.contains(field) || TRANSLATED.contains(field);
            if (!known) {
                throw invalid(field + ": Extra inputs are not permitted");
            }
        }
    }

    /** {@code system}: a string, or text blocks, as one system message in front. */
    private static void system(JsonNode system, ArrayNode messages) {
        if (system == null || system.isNull()) {
            return;
        }
        if (system.isTextual()) {
            messages.addObject().put("role", "system").put("content", system.asText());
            return;
        }
        if (!system.isArray()) {
            throw invalid("system: Input should be a valid string or a list of text blocks");
        }
        ArrayNode parts = NODES.arrayNode();
        for (int i = 0; i < system.size(); i++) {
            JsonNode block = system.get(i);
            if (!"text".equals(block.path("type").asText())) {
                throw invalid("system." + i + ".type: system blocks must be text blocks");
            }
            mark(block, parts.addObject().put("type", "text").put("text", text(block, "system." + i)));
        }
        messages.addObject().put("role", "system").set("content", parts);
    }

    private static void conversation(JsonNode input, ArrayNode messages) {
        if (input == null || !input.isArray() || input.isEmpty()) {
            throw invalid("messages: Field required, a non-empty list of messages");
        }
        for (int i = 0; i < input.size(); i++) {
            JsonNode message = input.get(i);
            String at = "messages." + i;
            String role = message.path("role").asText("");
            JsonNode content = message.path("content");
            if (!content.isTextual() && !content.isArray()) {
                throw invalid(at + ".content: Input should be a valid string or a list of content blocks");
            }
            switch (role) {
                case "user" -> user(content, at, messages);
                case "assistant" -> assistant(content, at, messages);
                default -> throw invalid(at + ".role: Input should be 'user' or 'assistant'");
            }
        }
    }

    /**
     * A user turn: its {@code tool_result} blocks become tool messages, first (Anthropic puts them first too), and
     * its text and images one user message after them.
     */
    private static void user(JsonNode content, String at, ArrayNode messages) {
        if (content.isTextual()) {
            messages.addObject().put("role", "user").put("content", content.asText());
            return;
        }
        ArrayNode parts = NODES.arrayNode();
        for (int b = 0; b < content.size(); b++) {
            JsonNode block = content.get(b);
            String blockAt = at + ".content." + b;
            String type = block.path("type").asText("");
            switch (type) {
                case "text" -> mark(block, parts.addObject().put("type", "text").put("text", text(block, blockAt)));
                case "image" -> parts.add(mark(block, image(block.path("source"), blockAt)));
                case "tool_result" -> {
                    ObjectNode tool = messages.addObject().put("role", "tool");
                    tool.put("tool_call_id", string(block, "tool_use_id", blockAt));
                    tool.put("content", toolResult(block.path("content"), blockAt));
                }
                default -> throw unsupportedBlock(type, blockAt, "text, image and tool_result");
            }
        }
        if (!parts.isEmpty()) {
            messages.addObject().put("role", "user").set("content", parts);
        }
    }

    /**
     * An earlier answer: its text as content, its tool_use blocks as tool calls, its thinking and redacted thinking
     * blocks, in order, as {@code reasoning_details}, which only Claude gets back.
     */
    private static void assistant(JsonNode content, String at, ArrayNode messages) {
        ObjectNode message = messages.addObject().put("role", "assistant");
        if (content.isTextual()) {
            message.put("content", content.asText());
            return;
        }
        StringBuilder text = new StringBuilder();
        ArrayNode calls = NODES.arrayNode();
        ArrayNode reasoning = NODES.arrayNode();
        for (int b = 0; b < content.size(); b++) {
            JsonNode block = content.get(b);
            String blockAt = at + ".content." + b;
            String type = block.path("type").asText("");
            switch (type) {
                case "text" -> text.append(text(block, blockAt));
                case "tool_use" -> {
                    JsonNode input = block.path("input");
                    ObjectNode call = calls.addObject()
                            .put("id", string(block, "id", blockAt))
                            .put("type", "function");
                    call.putObject("function")
                            .put("name", string(block, "name", blockAt))
                            .put("arguments", input.isObject() ? input.toString() : "{}");
                }
                // Signed by Anthropic for this conversation: Claude needs it back unchanged, signature included (a
                // missing one is Anthropic's 400 to give); other providers cannot read it and drop it.
                case "thinking" -> {
                    JsonNode signature = block.path("signature");
                    reasoning.add(ReasoningDetails.thinking(
                            reasoning.size(),
                            string(block, "thinking", blockAt),
                            signature.isTextual() ? signature.asText() : null));
                }
                case "redacted_thinking" ->
                    reasoning.add(ReasoningDetails.redacted(reasoning.size(), string(block, "data", blockAt)));
                default -> throw unsupportedBlock(type, blockAt, "text, tool_use and thinking");
            }
        }
        if (text.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        if (!reasoning.isEmpty()) {
            message.set(ReasoningDetails.FIELD, reasoning);
        }
    }

    /** An image source as an {@code image_url} part: base64 data as a data URL, a URL as it is. */
    private static ObjectNode image(JsonNode source, String at) {
        ObjectNode part = NODES.objectNode().put("type", "image_url");
        String type = source.path("type").asText("");
        switch (type) {
            case "base64" -> {
                String mediaType = string(source, "media_type", at + ".source");
                if (!IMAGE_TYPES.contains(mediaType)) {
                    throw invalid(at + ".source.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or "
                            + "'image/webp'");
                }
                part.putObject("image_url")
                        .put("url", "data:" + mediaType + ";base64," + string(source, "data", at + ".source"));
            }
            case "url" -> part.putObject("image_url").put("url", string(source, "url", at + ".source"));
            default ->
                throw invalid(at + ".source.type: Images must be sent as 'base64' or 'url' sources through TokenHub: "
                        + "it cannot read files uploaded to Anthropic.");
        }
        return part;
    }

    /** A tool result's content as the tool message's text: a string, or text blocks joined. */
    private static String toolResult(JsonNode content, String at) {
        if (content.isMissingNode() || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw invalid(at + ".content: Input should be a valid string or a list of text blocks");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            if (!"text".equals(block.path("type").asText())) {
                throw invalid(at + ".content." + i + ".type: Tool results can hold text blocks only through "
                        + "TokenHub, whose tool messages are text for every provider.");
            }
            text.append(text(block, at + ".content." + i));
        }
        return text.toString();
    }

    private static void stop(JsonNode stop, ObjectNode chat) {
        if (stop == null || stop.isNull()) {
            return;
        }
        if (!stop.isArray()) {
            throw invalid("stop_sequences: Input should be a valid list of strings");
        }
        if (!stop.isEmpty()) {
            chat.set("stop", stop);
        }
    }

    /** Custom tools as function tools; Anthropic's server tools run at Anthropic and are refused. */
    private static void tools(JsonNode tools, ObjectNode chat) {
        if (tools == null || tools.isNull()) {
            return;
        }
        if (!tools.isArray()) {
            throw invalid("tools: Input should be a valid list");
        }
        ArrayNode out = chat.putArray("tools");
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String at = "tools." + i;
            String type = tool.path("type").asText("custom");
            if (!type.equals("custom")) {
                throw invalid(at + ".type: Server tool '" + type + "' is not offered through TokenHub, for any model: "
                        + "it runs at Anthropic. Use custom tools and run the tool yourself.");
            }
            ObjectNode function =
                    mark(tool, out.addObject().put("type", "function")).putObject("function");
            function.put("name", string(tool, "name", at));
            if (tool.path("description").isTextual()) {
                function.set("description", tool.get("description"));
            }
            JsonNode schema = tool.path("input_schema");
            if (!schema.isObject()) {
                throw invalid(at + ".input_schema: Field required");
            }
            function.set("parameters", schema);
            if (tool.path("strict").isBoolean()) {
                function.set("strict", tool.get("strict"));
            }
        }
    }

    private static void toolChoice(JsonNode choice, ObjectNode chat) {
        if (choice == null || choice.isNull()) {
            return;
        }
        String type = choice.path("type").asText("");
        switch (type) {
            case "auto" -> chat.put("tool_choice", "auto");
            case "any" -> chat.put("tool_choice", "required");
            case "none" -> chat.put("tool_choice", "none");
            case "tool" ->
                chat.putObject("tool_choice")
                        .put("type", "function")
                        .putObject("function")
                        .put("name", string(choice, "name", "tool_choice"));
            default -> throw invalid("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
        }
        if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
            chat.put("parallel_tool_calls", false);
        }
    }

    /**
     * Extended thinking, checked as Anthropic checks it (a budget of at least {@link #MIN_BUDGET} tokens, below
     * {@code max_tokens}), kept as sent for Claude ({@link ChatRequest#THINKING}) and as a reasoning effort by budget
     * ({@link #LOW_BUDGET_MAX}, {@link #MEDIUM_BUDGET_MAX}) for other reasoning models; a model without reasoning is
     * refused as a chat request asking for it would be.
     */
    private static void thinking(JsonNode thinking, ObjectNode chat, int maxTokens) {
        if (thinking == null || thinking.isNull()) {
            return;
        }
        String type = thinking.path("type").asText("");
        switch (type) {
            case "disabled" -> {}
            case "enabled" -> {
                JsonNode budget = thinking.path("budget_tokens");
                if (!budget.canConvertToInt() || budget.asInt() < 1) {
                    throw invalid("thinking.enabled.budget_tokens: Field required, a positive integer");
                }
                int tokens = budget.asInt();
                if (tokens < MIN_BUDGET) {
                    throw invalid(
                            "thinking.enabled.budget_tokens: Input should be greater than or equal to " + MIN_BUDGET);
                }
                if (tokens >= maxTokens) {
                    throw invalid("max_tokens: must be greater than thinking.budget_tokens, which counts toward it. "
                            + "Please consult our documentation at "
                            + "https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens");
                }
                chat.set(ChatRequest.THINKING, thinking);
                chat.put(
                        "reasoning_effort",
                        tokens <= LOW_BUDGET_MAX ? "low" : tokens <= MEDIUM_BUDGET_MAX ? "medium" : "high");
            }
            default -> throw invalid("thinking.type: Input should be 'enabled' or 'disabled'");
        }
    }

    /** Anthropic's tiers as chat's: both mean the standard price, the only one TokenHub sells. */
    private static void serviceTier(JsonNode tier, ObjectNode chat) {
        if (tier == null || tier.isNull()) {
            return;
        }
        switch (tier.asText()) {
            case "auto" -> chat.put("service_tier", "auto");
            case "standard_only" -> chat.put("service_tier", "default");
            default -> throw invalid("service_tier: Input should be 'auto' or 'standard_only'");
        }
    }

    /** {@code to} with the prompt-cache breakpoint of {@code from}, if it has one; checked where the chat is read. */
    private static ObjectNode mark(JsonNode from, ObjectNode to) {
        JsonNode mark = from.get(CacheControls.FIELD);
        if (mark != null && !mark.isNull()) {
            to.set(CacheControls.FIELD, mark);
        }
        return to;
    }

    private static String text(JsonNode block, String at) {
        return string(block, "text", at);
    }

    private static String string(JsonNode node, String field, String at) {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw invalid(at + "." + field + ": Field required");
        }
        return value.asText();
    }

    private static InvalidRequestException unsupportedBlock(String type, String at, String offered) {
        return invalid(at + ".type: Content blocks of type '" + type + "' are not offered here through TokenHub. Send "
                + offered + " blocks.");
    }

    /** A 400 whose message names the field the way Anthropic's do ({@code messages.0.content: ...}). */
    private static InvalidRequestException invalid(String message) {
        return new InvalidRequestException(OpenAiError.invalidRequest(message, null));
    }
}
