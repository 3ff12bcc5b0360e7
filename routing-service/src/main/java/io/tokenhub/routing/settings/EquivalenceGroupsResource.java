package io.tokenhub.routing.settings;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.security.Authenticated;
import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogModel;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
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
            {"groups": [{"id": "flagship", "members": [{"model": "gpt-4o", "provider": "openai"},
             {"model": "claude-3-5-sonnet", "provider": "anthropic"}]}]}""";

    private final Groups groups;

    public EquivalenceGroupsResource(Catalog catalog) {
        // The catalog is read once at start and never changes while the service runs.
        this.groups = new Groups(catalog.groups().stream()
                .map(g -> new Group(
                        g.id(),
                        g.members().stream().map(id -> member(catalog, id)).toList()))
                .toList());
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
                    + " preference; the same for every account.")
    public Groups list() {
        return groups;
    }

    private static Member member(Catalog catalog, String id) {
        CatalogModel model = catalog.byId(id).orElseThrow();
        return new Member(id, model.provider().wireName());
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
