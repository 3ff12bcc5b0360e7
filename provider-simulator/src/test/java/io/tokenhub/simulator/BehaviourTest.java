package io.tokenhub.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

class BehaviourTest {

    @Test
    void readsTheSnakeCaseControlForm() throws JsonProcessingException {
        Behaviour b = Json.MAPPER.readValue("""
                {"error_status":529,"latency_ms":10,"chunk_delay_ms":5,"fail_mid_stream":true,
                 "drop_connection":false,"drop_mid_stream":true,"reply":"hi",
                 "tool_calls":[{"name":"f","arguments":{"a":1}}],"finish_reason":"max_tokens",
                 "cached_tokens":4,"cache_creation_tokens":2,"retry_after_seconds":0,"times":3}""", Behaviour.class);
        assertEquals(529, b.errorStatus());
        assertEquals(10, b.latencyMs());
        assertEquals(5, b.chunkDelayMs());
        assertTrue(b.failMidStream() && b.dropMidStream());
        assertEquals("hi", b.reply());
        assertEquals("{\"a\":1}", b.toolCalls().get(0).argumentsJson());
        assertEquals("max_tokens", b.finishReason());
        assertEquals(4, b.cachedTokens());
        assertEquals(2, b.cacheCreationTokens());
        assertEquals(0, b.retryAfter());
        assertEquals(3, b.times());
    }

    @Test
    void absentFieldsMeanNormal() throws JsonProcessingException {
        Behaviour b = Json.MAPPER.readValue("{}", Behaviour.class);
        assertEquals(Behaviour.normal(), b);
        assertEquals(2, b.retryAfter());
        assertTrue(b.toolCalls().isEmpty());
    }

    @Test
    void rejectsTyposAndImpossibleValues() {
        assertThrows(JsonProcessingException.class, () -> Json.MAPPER.readValue("{\"error\":500}", Behaviour.class));
        assertThrows(
                JsonProcessingException.class, () -> Json.MAPPER.readValue("{\"error_status\":200}", Behaviour.class));
        assertThrows(
                JsonProcessingException.class, () -> Json.MAPPER.readValue("{\"latency_ms\":-1}", Behaviour.class));
        assertThrows(
                JsonProcessingException.class,
                () -> Json.MAPPER.readValue("{\"tool_calls\":[{\"name\":\"f\",\"arguments\":[1]}]}", Behaviour.class));
        assertThrows(
                JsonProcessingException.class,
                () -> Json.MAPPER.readValue("{\"tool_calls\":[{\"arguments\":{}}]}", Behaviour.class));
    }

    @Test
    void builderAndJsonAgree() throws JsonProcessingException {
        Behaviour built = Behaviour.builder()
                .errorStatus(429)
                .retryAfterSeconds(5)
                .times(2)
                .reply("x")
                .toolCall("f", JsonNodeFactory.instance.objectNode().put("k", "v"))
                .cachedTokens(1)
                .build();
        Behaviour parsed = Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(built), Behaviour.class);
        assertEquals(built, parsed);
        assertEquals(built, built.toBuilder().build());
        assertEquals(Behaviour.normal(), Behaviour.normal().toBuilder().build());
    }
}
