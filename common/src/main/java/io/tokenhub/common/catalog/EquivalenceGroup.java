package io.tokenhub.common.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Models that can stand in for each other, in the default order of preference: a plain model name is answered by
 * the first healthy member's provider, the named model first, and falls back along this list.
 *
 * @param id the group's name, e.g. {@code flagship}
 * @param members catalog model ids, at most one per provider, in default order
 */
public record EquivalenceGroup(
        @JsonProperty("id") String id,
        @JsonProperty("members") List<String> members) {

    public EquivalenceGroup {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an equivalence group needs an id");
        }
        if (members == null || members.size() < 2) {
            throw new IllegalArgumentException("equivalence group " + id + " needs at least two members");
        }
        members = List.copyOf(members);
    }
}
