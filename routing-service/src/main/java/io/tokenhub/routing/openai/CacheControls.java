package io.tokenhub.routing.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.routing.openai.ChatSpec.CacheControl;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Anthropic's prompt-cache breakpoints in a Chat Completions request, as Anthropic-compatible gateways accept them:
 * {@code cache_control: {"type": "ephemeral", "ttl": "5m"|"1h"}} on a content part, on a system or user message
 * (its last part) and on a tool (https://docs.claude.com/en/docs/build-with-claude/prompt-caching). Only Anthropic
 * caches on request; the other adapters drop the marks and say so in {@code X-TokenHub-Ignored-Params}.
 */
public final class CacheControls {

    /** The field name, as Anthropic and the gateways that pass it on spell it. */
    public static final String FIELD = "cache_control";

    private CacheControls() {}

    /** The breakpoint {@code holder} carries, null when none, or the 400 of a malformed one at {@code param}. */
    static CacheControl read(JsonNode holder, String param) {
        JsonNode mark = holder.get(FIELD);
        if (mark == null || mark.isNull()) {
            return null;
        }
        String at = param + "." + FIELD;
        if (!mark.isObject() || !"ephemeral".equals(mark.path("type").asText())) {
            throw invalid("'" + at + "' must be {\"type\": \"ephemeral\"}, with an optional \"ttl\".", at);
        }
        JsonNode ttl = mark.get("ttl");
        if (ttl == null || ttl.isNull()) {
            return new CacheControl(null);
        }
        if (!ttl.isTextual() || !CacheControl.TTLS.contains(ttl.asText())) {
            throw invalid("'" + at + ".ttl' must be \"5m\" or \"1h\".", at + ".ttl");
        }
        return new CacheControl(ttl.asText());
    }

    /** Whether {@code body} marks any breakpoint, wherever {@link CacheControls} reads one. */
    public static boolean present(ObjectNode body) {
        return any(body, holder -> holder.hasNonNull(FIELD));
    }

    /** Whether {@link #strip} would change {@code body}: a {@value #FIELD} field where it reads one, even a null one. */
    public static boolean strippable(ObjectNode body) {
        return any(body, holder -> holder.has(FIELD));
    }

    private static boolean any(ObjectNode body, Predicate<ObjectNode> test) {
        boolean[] found = {false};
        holders(body, holder -> found[0] |= test.test(holder));
        return found[0];
    }

    /** Removes every breakpoint from {@code body}, for a provider that would refuse the unknown field. */
    public static void strip(ObjectNode body) {
        holders(body, holder -> holder.remove(FIELD));
    }

    /** Every object of {@code body} that can carry a breakpoint: messages, their content parts, tools. */
    private static void holders(ObjectNode body, Consumer<ObjectNode> visit) {
        for (JsonNode message : body.path("messages")) {
            if (message instanceof ObjectNode m) {
                visit.accept(m);
                for (JsonNode part : m.path("content")) {
                    if (part instanceof ObjectNode p) {
                        visit.accept(p);
                    }
                }
            }
        }
        for (JsonNode tool : body.path("tools")) {
            if (tool instanceof ObjectNode t) {
                visit.accept(t);
            }
        }
    }

    private static InvalidRequestException invalid(String message, String param) {
        return new InvalidRequestException(OpenAiError.invalidRequest(message, param));
    }
}
