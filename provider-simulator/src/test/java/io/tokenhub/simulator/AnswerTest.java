package io.tokenhub.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerTest {

    private static Conversation conversation(String toolResults, boolean json, JsonNode schema, Integer max, int n) {
        return new Conversation("m", 20, toolResults, json, schema, max, n);
    }

    @Test
    void tokenCountingRules() {
        assertEquals(0, TokenCounter.count(""));
        assertEquals(1, TokenCounter.count("abcd"));
        assertEquals(2, TokenCounter.count("abcde"));
        assertEquals(3 + (3 + 1) + (3 + 2), TokenCounter.prompt(List.of("abc", "abcdefgh")));
    }

    @Test
    void defaultReplyWithUsage() {
        Answer a = Answer.of(conversation(null, false, null, null, 1), Behaviour.normal());
        assertEquals(Behaviour.DEFAULT_REPLY, a.text());
        assertEquals(Answer.Finish.STOP, a.finish());
        assertEquals(new Answer.Usage(20, TokenCounter.count(Behaviour.DEFAULT_REPLY), 0, 0, 0), a.usage());
    }

    @Test
    void toolCallsUnlessTheLastTurnHoldsResults() {
        Behaviour tools = Behaviour.builder()
                .toolCall("lookup", JsonNodeFactory.instance.objectNode().put("q", "x"))
                .build();
        Answer calling = Answer.of(conversation(null, false, null, null, 1), tools);
        assertNull(calling.text());
        assertEquals(Answer.Finish.TOOL_CALLS, calling.finish());
        assertEquals("{\"q\":\"x\"}", calling.toolCalls().get(0).argumentsJson());
        assertEquals(
                TokenCounter.count("lookup") + TokenCounter.count("{\"q\":\"x\"}"),
                calling.usage().completionTokens());

        Answer after = Answer.of(conversation("42", false, null, null, 1), tools);
        assertEquals(Answer.TOOL_RESULT_PREFIX + "42", after.text());
        assertEquals(List.of(), after.toolCalls());
    }

    @Test
    void truncatesAtMaxTokensAndHonoursForcedFinish() {
        Answer cut = Answer.of(
                conversation(null, false, null, 2, 1),
                Behaviour.builder().reply("abcdefghijkl").build());
        assertEquals("abcdefgh", cut.text());
        assertEquals(Answer.Finish.LENGTH, cut.finish());
        assertEquals("length", cut.finishReason(f -> f.name().toLowerCase()));
        Answer forced = Answer.of(
                conversation(null, false, null, null, 1),
                Behaviour.builder().finishReason("SAFETY").build());
        assertEquals("SAFETY", forced.finishReason(f -> "never"));
    }

    @Test
    void cacheCountsAreCappedByThePrompt() {
        Answer a = Answer.of(
                conversation(null, false, null, null, 2),
                Behaviour.builder().cachedTokens(15).cacheCreationTokens(10).build());
        assertEquals(15, a.usage().cachedTokens());
        assertEquals(5, a.usage().cacheCreationTokens());
        assertEquals(0, a.usage().uncachedPromptTokens());
        assertEquals(2 * TokenCounter.count(Behaviour.DEFAULT_REPLY), a.usage().completionTokens());
    }

    @Test
    void jsonOutputFollowsTheSchema() throws Exception {
        JsonNode schema = Json.MAPPER.readTree("""
                {"type":"object","properties":{
                  "name":{"type":"string"},"n":{"type":["integer","null"]},"ok":{"type":"BOOLEAN"},
                  "tags":{"type":"array","items":{"enum":["a","b"]}},
                  "ref":{"$ref":"#/$defs/Inner"},"either":{"anyOf":[{"type":"number"},{"type":"string"}]}},
                 "$defs":{"Inner":{"type":"object","properties":{"x":{"const":7}}}}}""");
        Answer a = Answer.of(conversation(null, true, schema, null, 1), Behaviour.normal());
        assertEquals(Json.MAPPER.readTree("""
                {"name":"sample","n":1,"ok":true,"tags":["a"],"ref":{"x":7},"either":1.5}"""), Json.MAPPER.readTree(a.text()));
        Answer plain = Answer.of(conversation(null, true, null, null, 1), Behaviour.normal());
        assertEquals("{\"reply\":\"" + Behaviour.DEFAULT_REPLY + "\"}", plain.text());
    }

    @Test
    void streamsSplitTextAndArguments() {
        assertEquals(List.of("one", " two", " three"), Answer.pieces("one two three"));
        assertEquals(List.of("{\"city\":", "\"Paris\"}"), Answer.argumentFragments("{\"city\":\"Paris\"}"));
    }
}
