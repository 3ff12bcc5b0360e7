package io.tokenhub.routing.settings;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.security.Authenticated;
import io.tokenhub.common.catalog.Catalog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/routing/groups}: the catalog's equivalence groups, read-only, so a dashboard can show what a plain
 * model name may fall back to. The catalog is the same for every account, so no account parameter.
 */
@Path("/api/routing/groups")
@Tag(name = "Routing settings", description = "How an account's plain model names are routed and fall back.")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class EquivalenceGroupsResource {

    private static final String GROUPS_EXAMPLE = """
            {"groups": [{"id": "flagship", "members": [{"model": "gpt-4.1", "provider": "openai"},
             {"model": "claude-sonnet-4-5", "provider": "anthropic"}]}]}""";

    private final Catalog catalog;
    private final Clock clock;

    public EquivalenceGroupsResource(Catalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    @GET
    @APIResponse(
            responseCode = "200",
            description = "The equivalence groups in force.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = Groups.class),
                            examples = @ExampleObject(name = "example", value = GROUPS_EXAMPLE)))
    @Operation(
            summary = "List the equivalence groups",
            description = "Models that stand in for each other, each group's members in its default order of"
                    + " preference, retired ones left out; the same for every account.")
    public Groups list() {
        Instant now = clock.instant();
        return new Groups(catalog.groups().stream()
                .map(g -> new Group(
                        g.id(),
                        g.members().stream()
                                .map(id -> catalog.byId(id).orElseThrow())
                                .filter(m -> !m.retiredAt(now))
                                .map(m -> new Member(m.id(), m.provider().wireName()))
                                .toList()))
                .toList());
    }

    /**
     * Body of {@code GET /api/routing/groups}.
     *
     * @param groups every group of the catalog, in catalog order
     */
    public record Groups(@JsonProperty("groups") List<Group> groups) {}

    /**
     * One equivalence group.
     *
     * @param id the group's name
     * @param members its models in default order of preference
     */
    public record Group(
            @JsonProperty("id") String id,
            @JsonProperty("members") List<Member> members) {}

    /**
     * One member of a group.
     *
     * @param model catalog model id
     * @param provider provider wire name
     */
    public record Member(
            @JsonProperty("model") String model,
            @JsonProperty("provider") String provider) {}
}
