package io.tokenhub.routing.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.ChatSpec;
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
import io.tokenhub.routing.openai.ChatSpecReader;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.spi.FailedAnswerException;
import io.tokenhub.routing.spi.TranslatedResponse;
import io.tokenhub.routing.spi.Usage;
import io.tokenhub.routing.translate.OpenAiShapes;
import io.tokenhub.routing.translate.ResponseObjects;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Chat Completions request as a request to OpenAI's Responses API
 * (https://platform.openai.com/docs/api-reference/responses/create), for the models OpenAI serves there only, and
 * the {@code response} object it answers with back as a {@code chat.completion}. Leading system and developer
 * messages become {@code instructions}; the rest of the conversation becomes input items ({@code message},
 * {@code function_call}, {@code function_call_output}). Nothing is ever stored at OpenAI: {@code store} is always
 * false, whatever the client sent. Chat fields the Responses API has no place for are refused with a 400 naming the
 * field, never dropped silently: these models have no backup that could honour them either.
 */
final class OpenAiResponses {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Chat fields without a Responses counterpart, with the 400 a request setting one gets. */
    private static final Map<String, String> NO_COUNTERPART = Map.of(
            "stop", "Stop sequences",
            "seed", "'seed'",
            "presence_penalty", "'presence_penalty'",
            "frequency_penalty", "'frequency_penalty'",
            "logit_bias", "'logit_bias'",
            "prediction", "Predicted outputs");

    /** Carried over under the same name and meaning. */
    private static final List<String> SAME = List.of(
            "temperature",
            "top_p",
            "parallel_tool_calls",
            "user",
            "safety_identifier",
            "prompt_cache_key",
            "service_tier");

    private OpenAiResponses() {}

    /** The Responses request body for {@code request}, or the 400 the client should get. */
    static ObjectNode request(ChatRequest request, CatalogModel model) {
        ObjectNode chat = request.body();
        ChatSpec spec = ChatSpecReader.read(chat, Provider.OPENAI);
        refuseWhatHasNoCounterpart(chat, spec, model);
        ObjectNode out = NODES.objectNode().put("model", model.providerModel());
        List<Message> messages = spec.messages();
        int first = 0;
        List<String> instructions = new ArrayList<>();
        while (first < messages.size() && messages.get(first) instanceof SystemMessage system) {
            instructions.add(system.text());
            first++;
        }
        if (!instructions.isEmpty()) {
            out.put("instructions", String.join("\n\n", instructions));
        }
        ArrayNode input = out.putArray("input");
        for (Message message : messages.subList(first, messages.size())) {
            item(message, input);
        }
        if (!spec.tools().isEmpty()) {
            ArrayNode tools = out.putArray("tools");
            spec.tools().forEach(tool -> tools.add(tool(tool)));
        }
        if (spec.toolChoice() != null) {
            out.set("tool_choice", toolChoice(spec.toolChoice()));
        }
        for (String field : SAME) {
            JsonNode value = chat.get(field);
            if (value != null && !value.isNull()) {
                out.set(field, value);
            }
        }
        text(spec.responseFormat(), chat.get("verbosity"), out);
        if (spec.maxTokens() != null) {
            out.put("max_output_tokens", spec.maxTokens());
        }
        JsonNode effort = chat.get("reasoning_effort");
        if (effort != null && !effort.isNull()) {
            out.putObject("reasoning").set("effort", effort);
        }
        // Never stored at OpenAI, whatever the client asked: TokenHub keeps no content anywhere (the Responses API
        // stores by default).
        out.put("store", false);
        if (request.stream()) {
            out.put("stream", true);
        }
        return out;
    }

    private static void refuseWhatHasNoCounterpart(ObjectNode chat, ChatSpec spec, CatalogModel model) {
        for (Map.Entry<String, String> field : NO_COUNTERPART.entrySet()) {
            JsonNode value = chat.get(field.getKey());
            if (value != null && !value.isNull()) {
                throw invalid(
                        field.getValue() + " are not offered for '" + model.id() + "': OpenAI serves it on its"
                                + " Responses API only, which has no such parameter. Leave it out.",
                        field.getKey());
            }
        }
        if (spec.n() > 1) {
            throw invalid(
                    "Only one choice ('n': 1) is offered for '" + model.id() + "': OpenAI serves it on its Responses"
                            + " API only, which answers with one.",
                    "n");
        }
    }

    private static void item(Message message, ArrayNode input) {
        if (message instanceof SystemMessage system) {
            // A system message later in the conversation keeps its place, as a developer message.
            input.addObject().put("type", "message").put("role", "developer").put("content", system.text());
        } else if (message instanceof UserMessage user) {
            ArrayNode content =
                    input.addObject().put("type", "message").put("role", "user").putArray("content");
            user.parts().forEach(part -> content.add(part(part)));
        } else if (message instanceof AssistantMessage assistant) {
            if (assistant.text() != null && !assistant.text().isEmpty()) {
                input.addObject()
                        .put("type", "message")
                        .put("role", "assistant")
                        .put("content", assistant.text());
            }
            for (ToolCall call : assistant.toolCalls()) {
                input.addObject()
                        .put("type", "function_call")
                        .put("call_id", call.id())
                        .put("name", call.name())
                        .put("arguments", call.arguments() == null ? "{}" : call.arguments());
            }
        } else if (message instanceof ToolMessage tool) {
            input.addObject()
                    .put("type", "function_call_output")
                    .put("call_id", tool.toolCallId())
                    .put("output", tool.text());
        }
    }

    private static ObjectNode part(Part part) {
        if (part instanceof Image image) {
            return NODES.objectNode()
                    .put("type", "input_image")
                    .put("image_url", image.url())
                    .put("detail", image.detail() == null ? "auto" : image.detail());
        }
        return NODES.objectNode().put("type", "input_text").put("text", ((Text) part).text());
    }

    private static ObjectNode tool(FunctionTool tool) {
        ObjectNode out = NODES.objectNode().put("type", "function").put("name", tool.name());
        if (tool.description() != null) {
            out.put("description", tool.description());
        }
        out.set("parameters", tool.parameters() == null ? NODES.nullNode() : tool.parameters());
        // Chat Completions checks arguments against the schema only when asked; the Responses API does by default,
        // and would refuse schemas the client never meant as strict.
        out.put("strict", tool.strict() != null && tool.strict());
        return out;
    }

    private static JsonNode toolChoice(ToolChoice choice) {
        return switch (choice.mode()) {
            case AUTO -> NODES.textNode("auto");
            case NONE -> NODES.textNode("none");
            case REQUIRED -> NODES.textNode("required");
            case FUNCTION -> NODES.objectNode().put("type", "function").put("name", choice.function());
        };
    }

    /** {@code response_format} and {@code verbosity} as {@code text.format} and {@code text.verbosity}. */
    private static void text(ResponseFormat format, JsonNode verbosity, ObjectNode out) {
        ObjectNode text = NODES.objectNode();
        switch (format.kind()) {
            case TEXT -> {}
            case JSON_OBJECT -> text.putObject("format").put("type", "json_object");
            case JSON_SCHEMA -> {
                ObjectNode schema =
                        text.putObject("format").put("type", "json_schema").put("name", format.name());
                if (format.description() != null) {
                    schema.put("description", format.description());
                }
                schema.set("schema", format.schema());
                if (format.strict() != null) {
                    schema.put("strict", format.strict());
                }
            }
        }
        if (verbosity != null && verbosity.isTextual()) {
            text.set("verbosity", verbosity);
        }
        if (!text.isEmpty()) {
            out.set("text", text);
        }
    }

    /**
     * A {@code response} OpenAI answered with, as the {@code chat.completion} every client dialect reads: the text of
     * its {@code message} items, its {@code function_call} items as tool calls, reasoning items left out (their tokens
     * are billed through the usage). A {@code failed} response is the client's error, its tokens still billed.
     */
    static TranslatedResponse answer(JsonNode response) {
        JsonNode usageNode = response.path("usage");
        Usage usage = ResponseObjects.usageOf(usageNode);
        if ("failed".equals(response.path("status").asText())) {
            throw new FailedAnswerException(
                    OpenAiError.badGateway("The provider failed to finish the answer: "
                            + response.path("error").path("message").asText("no reason given") + "."),
                    usage);
        }
        StringBuilder text = null;
        String refusal = null;
        ArrayNode calls = OpenAiShapes.array();
        for (JsonNode item : response.path("output")) {
            switch (item.path("type").asText()) {
                case "message" -> {
                    for (JsonNode part : item.path("content")) {
                        if ("refusal".equals(part.path("type").asText())) {
                            refusal = part.path("refusal").asText();
                        } else if ("output_text".equals(part.path("type").asText())) {
                            text = (text == null ? new StringBuilder() : text)
                                    .append(part.path("text").asText());
                        }
                    }
                }
                case "function_call" ->
                    calls.add(OpenAiShapes.toolCall(
                            item.path("call_id").asText(),
                            item.path("name").asText(),
                            item.path("arguments").asText()));
                // Reasoning items carry no answer; their tokens are in output_tokens.
                default -> {}
            }
        }
        ObjectNode choice = OpenAiShapes.choice(
                0, text == null ? null : text.toString(), calls, ResponseObjects.finishReason(response));
        if (refusal != null) {
            ((ObjectNode) choice.get("message")).put("refusal", refusal);
        }
        ArrayNode choices = OpenAiShapes.array().add(choice);
        ObjectNode completion = OpenAiShapes.completion(
                response.path("id").asText(),
                response.path("created_at").asLong(),
                response.path("model").asText(),
                choices,
                OpenAiShapes.usage(usage, ResponseObjects.reasoningTokens(usageNode)));
        return new TranslatedResponse(completion.toString().getBytes(StandardCharsets.UTF_8), usage);
    }

    private static InvalidRequestException invalid(String message, String param) {
        return new InvalidRequestException(OpenAiError.invalidRequest(message, param));
    }
}
