package io.tokenhub.routing.providers.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The usage member TokenHub asked OpenAI for is cut out of the chunk's own text, whatever its place and spacing; the
 * rest of the chunk reaches the client as OpenAI sent it. The stream fixtures cover OpenAI's usual layout.
 */
class OpenAiStreamTranslatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String relayed(String chunk) {
        return new OpenAiStreamTranslator(JSON, false).onEvent(null, chunk).get(0);
    }

    @Test
    void theUsageMemberIsCutWhereverItIs() throws Exception {
        assertEquals("{\"id\":\"c\",\"choices\":[]}", relayed("{\"id\":\"c\",\"choices\":[],\"usage\":null}"));
        assertEquals("{\"id\":\"c\",\"choices\":[]}", relayed("{\"usage\":null,\"id\":\"c\",\"choices\":[]}"));
        for (String spaced : List.of(
                "{\"id\":\"c\",\"usage\" : null ,\"choices\":[]}",
                "{ \"id\":\"c\", \"choices\": [] , \"usage\": null }",
                "{ \"usage\": null,  \"id\":\"c\", \"choices\": [] }")) {
            assertEquals(JSON.readTree("{\"id\":\"c\",\"choices\":[]}"), JSON.readTree(relayed(spaced)), spaced);
        }
    }

    @Test
    void aChunkWithoutUsageAndOneForAClientThatAskedForItPassUnchanged() {
        String chunk = "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"caf\\u00e9\"}}]}";
        assertEquals(chunk, relayed(chunk));
        String withUsage = "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}],\"usage\":null}";
        assertEquals(List.of(withUsage), new OpenAiStreamTranslator(JSON, true).onEvent(null, withUsage));
    }

    @Test
    void answerCharactersAreCountedAsDecoded() {
        OpenAiStreamTranslator translator = new OpenAiStreamTranslator(JSON, false);
        translator.onEvent(null, "{\"choices\":[{\"delta\":{\"content\":\"caf\\u00e9\"}}],\"usage\":null}");
        translator.onEvent(
                null,
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}");
        assertEquals(7, translator.answerChars());
    }
}
