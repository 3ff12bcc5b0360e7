package io.tokenhub.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An equivalence group as the routing page shows it: each member with its live status. health-monitor lists a model
 * only when its status differs from its provider's, so a member not listed has its provider's status.
 *
 * @param id the group's name
 * @param members its models in default order of preference
 */
public record GroupStatus(String id, List<Member> members) {

    /** Shown when health-monitor did not answer: the group is still worth seeing, its statuses are not known. */
    static final String UNKNOWN = "UNKNOWN";

    /**
     * One member.
     *
     * @param model catalog model id
     * @param provider provider wire name
     * @param status UP, DEGRADED, DOWN or UNKNOWN
     */
    public record Member(String model, String provider, String status) {}

    /** Joins routing-service's {@code /api/routing/groups} with health-monitor's status; {@code status} may be null. */
    static List<GroupStatus> of(JsonNode groups, JsonNode status) {
        Map<String, String> providers = new HashMap<>();
        Map<String, String> models = new HashMap<>();
        if (status != null) {
            for (JsonNode p : status.path("providers")) {
                providers.put(p.path("provider").asText(), p.path("status").asText(UNKNOWN));
                for (JsonNode m : p.path("models")) {
                    models.put(
                            p.path("provider").asText() + "/" + m.path("model").asText(),
                            m.path("status").asText());
                }
            }
        }
        List<GroupStatus> result = new ArrayList<>();
        for (JsonNode g : groups.path("groups")) {
            List<Member> members = new ArrayList<>();
            for (JsonNode m : g.path("members")) {
                String model = m.path("model").asText();
                String provider = m.path("provider").asText();
                String live = models.getOrDefault(provider + "/" + model, providers.getOrDefault(provider, UNKNOWN));
                members.add(new Member(model, provider, live));
            }
            result.add(new GroupStatus(g.path("id").asText(), List.copyOf(members)));
        }
        return List.copyOf(result);
    }
}
