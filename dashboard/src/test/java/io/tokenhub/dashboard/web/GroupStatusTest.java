package io.tokenhub.dashboard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupStatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String GROUPS = """
            {"groups": [{"id": "small", "members": [{"model": "gpt-4o-mini", "provider": "openai"},
             {"model": "claude-3-haiku", "provider": "anthropic"}, {"model": "llama-3.1-8b", "provider": "meta"}]}]}""";

    @Test
    void aMemberHasItsOwnStatusWhereHealthMonitorListsItAndItsProvidersOtherwise() throws Exception {
        JsonNode status = JSON.readTree("""
                {"providers": [{"provider": "openai", "status": "UP", "models": []},
                 {"provider": "anthropic", "status": "DEGRADED", "models": [{"model": "claude-3-haiku", "status": "DOWN"}]}]}""");

        List<GroupStatus> groups = GroupStatus.of(JSON.readTree(GROUPS), status);

        assertEquals(
                List.of(new GroupStatus(
                        "small",
                        List.of(
                                new GroupStatus.Member("gpt-4o-mini", "openai", "UP"),
                                new GroupStatus.Member("claude-3-haiku", "anthropic", "DOWN"),
                                new GroupStatus.Member("llama-3.1-8b", "meta", "UNKNOWN")))),
                groups);
    }

    @Test
    void withoutHealthMonitorEveryStatusIsUnknown() throws Exception {
        List<GroupStatus> groups = GroupStatus.of(JSON.readTree(GROUPS), null);

        assertEquals(
                List.of("UNKNOWN", "UNKNOWN", "UNKNOWN"),
                groups.get(0).members().stream().map(GroupStatus.Member::status).toList());
    }
}
