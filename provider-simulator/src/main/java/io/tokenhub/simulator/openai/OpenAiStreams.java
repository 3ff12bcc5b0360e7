package io.tokenhub.simulator.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsWire;

/**
 * OpenAI's Chat Completions dialect (https://platform.openai.com/docs/api-reference/chat), the hooks on the shared
 * renderer behind both its {@code chat.completion} and its chunk stream: {@code chatcmpl-} and {@code call_} ids (the
 * defaults), refusal/annotations/logprobs/service_tier/system_fingerprint, {@code obfuscation} padding, tool arguments
 * in fragments, a usage chunk with {@code choices: []} only on {@code stream_options.include_usage}.
 */
final class OpenAiStreams extends ChatCompletionsWire {

    @Override
    protected boolean openAiExtensions() {
        return true;
    }

    @Override
    protected void usageDetails(ObjectNode usage, Answer.Usage u) {
        usage.putObject("prompt_tokens_details")
                .put("cached_tokens", u.cachedTokens())
                .put("audio_tokens", 0);
        usage.putObject("completion_tokens_details")
                .put("reasoning_tokens", 0)
                .put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0)
                .put("rejected_prediction_tokens", 0);
    }
}
