package io.tokenhub.routing.translate;

import io.quarkus.logging.Log;
import io.tokenhub.routing.openai.FinishReason;

/**
 * Anthropic's stop reasons (https://docs.claude.com/en/api/handling-stop-reasons) and OpenAI's finish reasons, both
 * ways: Claude's answers are read into Chat Completions by the adapter, and every chat answer is written out as an
 * Anthropic message by the Messages dialect, so the pairing is written here once.
 */
public final class AnthropicStopReasons {

    private AnthropicStopReasons() {}

    /**
     * The finish reason of a Claude answer. {@code tool_use} is {@code tool_calls} only when a client tool was called:
     * the JSON tool TokenHub forces for {@code response_format} is a plain answer.
     */
    public static FinishReason toFinishReason(String stopReason, boolean calledClientTools) {
        if (stopReason == null) {
            return FinishReason.STOP;
        }
        return switch (stopReason) {
            case "end_turn", "stop_sequence", "pause_turn" -> FinishReason.STOP;
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> calledClientTools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> {
                Log.warnf(
                        "anthropic sent an unknown stop_reason '%s'; answering finish_reason stop "
                                + "(https://docs.claude.com/en/api/handling-stop-reasons)",
                        stopReason);
                yield FinishReason.STOP;
            }
        };
    }

    /**
     * The stop reason of a chat answer. A chat {@code stop} does not say whether a stop sequence ended it, so it is
     * always {@code end_turn}, never {@code stop_sequence}.
     */
    public static String fromFinishReason(FinishReason finish) {
        return switch (finish) {
            case STOP -> "end_turn";
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
            case CONTENT_FILTER -> "refusal";
        };
    }
}
