package io.tokenhub.routing.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    @Test
    void eventsSplitAnywhereAndMultiByteTextSurvive() {
        List<String> seen = new ArrayList<>();
        SseParser parser = new SseParser((event, data) -> seen.add(event + "|" + data));
        byte[] stream = ("event: message_start\r\ndata: {\"t\":\"h\u00e9llo \u4e16\u754c\"}\r\n\r\n"
                        + ": keep-alive comment\n\n"
                        + "data: line one\ndata: line two\n\n"
                        + "data:no-space\n\n")
                .getBytes(StandardCharsets.UTF_8);
        for (byte b : stream) {
            parser.feed(Buffer.buffer(new byte[] {b}));
        }
        parser.finish();
        assertEquals(
                List.of(
                        "message_start|{\"t\":\"h\u00e9llo \u4e16\u754c\"}",
                        "null|line one\nline two",
                        "null|no-space"),
                seen);
    }

    @Test
    void aReadHoldingManyEventsAndAPartOfTheNextIsParsedInPlace() {
        List<String> seen = new ArrayList<>();
        SseParser parser = new SseParser((event, data) -> seen.add(event + "|" + data));
        parser.feed(Buffer.buffer("data: {\"a\":1}\n\nevent: ping\ndata: x\nid: 7\n\ndata: sp"));
        assertEquals(List.of("null|{\"a\":1}", "ping|x"), seen);
        parser.feed(Buffer.buffer("lit\n"));
        parser.feed(Buffer.buffer("data:\n\n"));
        assertEquals(List.of("null|{\"a\":1}", "ping|x", "null|split\n"), seen);
    }

    @Test
    void lastEventWithoutBlankLineIsDeliveredAtFinish() {
        List<String> seen = new ArrayList<>();
        SseParser parser = new SseParser((event, data) -> seen.add(data));
        parser.feed(Buffer.buffer("data: [DONE]"));
        assertEquals(List.of(), seen);
        parser.finish();
        assertEquals(List.of("[DONE]"), seen);
    }
}
