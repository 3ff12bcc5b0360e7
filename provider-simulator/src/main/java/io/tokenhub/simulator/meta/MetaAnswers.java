package io.tokenhub.simulator.meta;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsWire;
import java.util.List;

/** Meta's non-chat bodies: the model list; chat bodies come from {@link MetaStreams}' Chat Completions dialect. */
final class MetaAnswers {

    private MetaAnswers() {}

    /** Models the Llama API lists (meta-llama/llama-stack's llama_openai_compat model table). */
    static final List<String> MODELS = List.of(
            "Llama-3.3-70B-Instruct",
            "Llama-3.3-8B-Instruct",
            "Llama-4-Maverick-17B-128E-Instruct-FP8",
            "Llama-4-Scout-17B-16E-Instruct-FP8");

    static ObjectNode model(String id) {
        return ChatCompletionsWire.model(id, 1735689600L, "Meta");
    }
}
