package io.tokenhub.simulator.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.TokenCounter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Anthropic's prompt cache (https://docs.claude.com/en/docs/build-with-claude/prompt-caching), kept simple and
 * deterministic: a request whose system or message blocks carry {@code cache_control} caches the prompt up to its
 * last breakpoint. The first request with that prefix writes it (tokens up to the last {@code "ttl": "1h"} breakpoint
 * as 1-hour writes, the rest as 5-minute writes); every later request with the same model and prefix reads all of
 * it. Nothing expires and there is no minimum cacheable length, so tests can predict every count. Prefix tokens
 * follow {@link TokenCounter}: the priming, each earlier message, and the breakpoint's message up to and including the
 * marked block. Breakpoints on tools are not counted (tools are not part of the simulated prompt).
 */
final class PromptCache {

    private final Set<String> written = ConcurrentHashMap.newKeySet();

    /** {@code answer} with the cache reads and writes {@code request}'s breakpoints cause; as it was without any. */
    Answer apply(ObjectNode request, Answer answer) {
        Prefix prefix = new Prefix();
        JsonNode system = request.get("system");
        int tokens = TokenCounter.PRIMING;
        if (system != null && !system.isNull()) {
            tokens = prefix.scan("system", system, tokens);
        }
        for (JsonNode message : request.path("messages")) {
            tokens = prefix.scan(message.path("role").asText(), message.get("content"), tokens);
        }
        if (prefix.cached == 0) {
            return answer;
        }
        String key = request.path("model").asText() + "\u0000" + prefix.marked;
        if (!written.add(key)) {
            return answer.withCache(prefix.cached, 0, 0);
        }
        return answer.withCache(0, prefix.cached, prefix.cachedOneHour);
    }

    /** The prompt up to the last breakpoint seen so far, and its token counts. */
    private static final class Prefix {

        private final StringBuilder seen = new StringBuilder();
        private String marked = "";
        private int cached;
        private int cachedOneHour;

        /** Reads one message (or the system prompt) and returns the prompt tokens counted once it is done. */
        int scan(String role, JsonNode content, int tokensBefore) {
            seen.append('\u0001').append(role).append('\u0001');
            if (content == null || !content.isArray()) {
                String text = AnthropicRequests.text(content);
                seen.append(text);
                return tokensBefore + TokenCounter.PER_MESSAGE + TokenCounter.count(text);
            }
            StringBuilder text = new StringBuilder();
            for (JsonNode block : content) {
                String rendered = AnthropicRequests.block(block);
                text.append(rendered);
                seen.append(rendered);
                JsonNode mark = block.get("cache_control");
                if (mark != null && mark.isObject()) {
                    int upTo = tokensBefore + TokenCounter.PER_MESSAGE + TokenCounter.count(text);
                    marked = seen.toString();
                    cached = upTo;
                    if ("1h".equals(mark.path("ttl").asText())) {
                        cachedOneHour = upTo;
                    }
                }
            }
            return tokensBefore + TokenCounter.PER_MESSAGE + TokenCounter.count(text);
        }
    }
}
