package io.tokenhub.routing.providers.mistral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.spi.FailedAnswerException;
import io.tokenhub.routing.spi.Usage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MistralAdapterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CatalogModel MODEL =
            CatalogLoader.load(Optional.empty()).byId("mistral-small-latest").orElseThrow();

    @Test
    void foreignToolCallIdsBecomeNineStableAlphanumericsAndMistralsOwnPassUnchanged() {
        String rewritten = MistralToolCallIds.toMistral("call_9GvTq2LzWx8Hb4Nc1Md5Pr7Y");
        assertTrue(rewritten.matches("[a-zA-Z0-9]{9}"), rewritten);
        assertEquals(
                rewritten,
                MistralToolCallIds.toMistral("call_9GvTq2LzWx8Hb4Nc1Md5Pr7Y"),
                "the call and the tool message answering it map to the same id");
        assertNotEquals(rewritten, MistralToolCallIds.toMistral("call_9GvTq2LzWx8Hb4Nc1Md5Pr7Z"));
        assertEquals("gSIMJiOkT", MistralToolCallIds.toMistral("gSIMJiOkT"), "Mistral's ids survive the round trip");
        assertTrue(MistralToolCallIds.toMistral("toolu_01A09q90qw90lq917835lq9").matches("[a-zA-Z0-9]{9}"));
    }

    @Test
    void aWholeAnswerThatFinishedWithErrorIsAnErrorWhoseTokensAreStillBilled() throws Exception {
        MistralAdapter adapter = new MistralAdapter(JSON, Clock.systemUTC());
        ChatRequest request = ChatRequest.parse(JSON, """
                {"model": "mistral-small-latest", "messages": [{"role": "user", "content": "Hi"}]}""".getBytes(StandardCharsets.UTF_8));
        byte[] answer = """
                {"id": "a1", "object": "chat.completion", "created": 1, "model": "mistral-small-latest",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "Parti"}, "finish_reason": "error"}],
                 "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}}""".getBytes(StandardCharsets.UTF_8);
        FailedAnswerException failed =
                assertThrows(FailedAnswerException.class, () -> adapter.toOpenAiResponse(request, MODEL, answer));
        assertEquals(502, failed.error().status());
        assertEquals(
                "mistral reported an error while generating the answer.",
                failed.error().message());
        assertEquals(new Usage(12, 3, 0), failed.usage());
    }
}
