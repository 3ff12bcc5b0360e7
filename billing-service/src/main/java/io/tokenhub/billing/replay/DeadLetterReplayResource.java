package io.tokenhub.billing.replay;

import io.quarkus.security.Authenticated;
import io.tokenhub.billing.access.CallerAccess;
import io.tokenhub.billing.api.Instants;
import io.tokenhub.billing.ingest.DeadLetterReason;
import io.tokenhub.service.error.ApiException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Operators replay dead letters after fixing their cause: {@code POST /api/billing/dead-letters/replay}, for
 * administrators only. Running it twice bills nothing twice.
 */
@Path("/api/billing/dead-letters/replay")
@Tag(name = "Dead letters", description = "Usage events billing could not take, replayed after a fix.")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterReplayResource {

    /** A replay's answer, for the OpenAPI document. */
    private static final String REPLAY_EXAMPLE = """
            {"object": "billing.dead_letter_replay", "scanned": 3, "replayed": 1,
             "replayed_by_reason": {"rejected_by_database": 1}}""";

    private static final Set<String> REASONS =
            Arrays.stream(DeadLetterReason.values()).map(DeadLetterReason::code).collect(Collectors.toSet());

    private final CallerAccess access;
    private final DeadLetterReplayer replayer;

    public DeadLetterReplayResource(CallerAccess access, DeadLetterReplayer replayer) {
        this.access = access;
        this.replayer = replayer;
    }

    /**
     * Sends the dead letters with one of {@code reason} (repeatable; every reason when absent), dead-lettered at or
     * after {@code from} (ISO-8601; all when absent), back to the usage topic.
     */
    @POST
    @APIResponse(
            responseCode = "200",
            description = "What was read and sent back.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = Replay.class),
                            examples = @ExampleObject(name = "example", value = REPLAY_EXAMPLE)))
    @Operation(
            summary = "Replay dead letters",
            description = "Administrators only. Reads tokenhub.usage.dlq to its end as of the call and sends the"
                    + " matching letters back to tokenhub.usage; a letter already billed is not billed again, so it"
                    + " can be run twice.")
    public Replay replay(
            @Parameter(
                            description = "Only letters with this reason (repeatable), e.g. rejected_by_database; every"
                                    + " reason when absent.")
                    @QueryParam("reason")
                    List<String> reason,
            @Parameter(description = "Only letters dead-lettered at or after this ISO-8601 instant.")
                    @QueryParam("from")
                    String from)
            throws Exception {
        if (!access.isAdmin()) {
            throw ApiException.forbidden("admin_required", "Replaying dead letters needs an administrator token.");
        }
        Set<String> reasons = new LinkedHashSet<>();
        for (String r : reason == null ? List.<String>of() : reason) {
            if (!REASONS.contains(r)) {
                throw ApiException.badRequest(
                        "reason", "invalid_reason", "'" + r + "' is not a dead-letter reason; see the billing README.");
            }
            reasons.add(r);
        }
        DeadLetterReplayer.Result result = replayer.replay(reasons, Instants.parse("from", from));
        return new Replay("billing.dead_letter_replay", result.scanned(), result.replayed(), result.replayedByReason());
    }

    /**
     * The answer.
     *
     * @param scanned dead letters read from the dead-letter topic
     * @param replayed those sent back to the usage topic, to be billed (once) or dead-lettered again
     * @param replayedByReason the same, per reason
     */
    public record Replay(String object, long scanned, long replayed, Map<String, Long> replayedByReason) {}
}
