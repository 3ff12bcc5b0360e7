package io.tokenhub.routing.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.spi.Usage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UsageEstimateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ChatRequest request(String body) {
        return ChatRequest.parse(JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCancelledStreamWithNoReportedUsageIsBilledOnThePromptAndTheAnswerSent() {
        // 16 + 24 characters of text in two messages: 10 tokens, plus 3 per message and 3 to prime the reply.
        ChatRequest request = request("{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":["
                + "{\"role\":\"system\",\"content\":\"Answer in Danish\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Tell me a very long tale\"}]}]}");
        Usage usage = UsageEstimate.cancelledStream(request, Usage.NONE, 41);
        assertEquals(new Usage(19, 11, 0), usage);
    }

    @Test
    void whatTheProviderReportedIsNeverUndercut() {
        ChatRequest request = request("{\"model\":\"claude-3-5-sonnet\",\"stream\":true,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Hi\"}]}");
        // Anthropic reports the prompt up front and a running output count: both stand when larger.
        assertEquals(
                new Usage(1_200, 40, 1_000), UsageEstimate.cancelledStream(request, new Usage(1_200, 40, 1_000), 80));
        // An output count that lags behind what was streamed gives way to the estimate.
        assertEquals(new Usage(1_200, 50, 0), UsageEstimate.cancelledStream(request, new Usage(1_200, 3, 0), 200));
    }

    @Test
    void toolDefinitionsAndToolCallsCountTowardsThePrompt() {
        String tools = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{}}}]";
        ChatRequest withTools = request("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"\"}],"
                + "\"tools\":" + tools + "}");
        ChatRequest without = request("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}");
        assertEquals(
                UsageEstimate.promptTokens(without.body()) + (tools.length() + 3) / 4,
                UsageEstimate.promptTokens(withTools.body()));
    }
}
