package io.tokenhub.simulator.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** What Mistral refuses: FastAPI's 422 for fields outside its schemas or missing, and its 400 for malformed tool call ids. */
final class MistralRequests {

    private MistralRequests() {}

    /** ChatCompletionRequest's properties in Mistral's OpenAPI spec. */
    static final Set<String> CHAT_FIELDS = Set.of(
            "model",
            "temperature",
            "top_p",
            "max_tokens",
            "stream",
            "stop",
            "random_seed",
            "metadata",
            "messages",
            "response_format",
            "tools",
            "tool_choice",
            "presence_penalty",
            "frequency_penalty",
            "n",
            "prediction",
            "parallel_tool_calls",
            "reasoning_effort",
            "prompt_mode",
            "guardrails",
            "prompt_cache_key",
            "service_tier",
            "safe_prompt");

    /** Each message role's properties in the same spec. */
    static final Map<String, Set<String>> MESSAGE_FIELDS = Map.of(
            "system", Set.of("role", "content"),
            "user", Set.of("role", "content"),
            "assistant", Set.of("role", "content", "tool_calls", "prefix"),
            "tool", Set.of("role", "content", "tool_call_id", "name"));

    static final Set<String> EMBEDDING_FIELDS =
            Set.of("model", "metadata", "input", "output_dimension", "output_dtype", "encoding_format");

    static final Pattern TOOL_CALL_ID = Pattern.compile("[a-zA-Z0-9]{9}");

    static String badToolCallId(JsonNode messages) {
        for (JsonNode message : messages) {
            List<JsonNode> ids = new ArrayList<>();
            message.path("tool_calls").forEach(call -> ids.add(call.path("id")));
            if (message.has("tool_call_id")) {
                ids.add(message.get("tool_call_id"));
            }
            for (JsonNode id : ids) {
                if (!TOOL_CALL_ID.matcher(id.asText()).matches()) {
                    return id.isNull() || id.isMissingNode() ? "null" : id.asText();
                }
            }
        }
        return null;
    }

    /** Pydantic's {@code extra_forbidden} entries, one per unknown field, as the real API reports them. */
    static void extraFields(JsonNode object, Set<String> allowed, List<Object> at, ArrayNode detail) {
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!allowed.contains(field.getKey())) {
                List<Object> path = new ArrayList<>(at);
                path.add(field.getKey());
                ObjectNode entry = detail.addObject().put("type", "extra_forbidden");
                entry.set("loc", loc(path.toArray()));
                entry.put("msg", "Extra inputs are not permitted").set("input", field.getValue());
            }
        }
    }

    static void missing(ObjectNode request, String field, ArrayNode detail) {
        if (!request.hasNonNull(field)) {
            ObjectNode entry = detail.addObject().put("type", "missing");
            entry.set("loc", loc("body", field));
            entry.put("msg", "Field required").set("input", request);
        }
    }

    static ArrayNode loc(Object... parts) {
        ArrayNode loc = Json.MAPPER.createArrayNode();
        for (Object part : parts) {
            if (part instanceof Integer i) {
                loc.add(i);
            } else {
                loc.add(part.toString());
            }
        }
        return loc;
    }
}
