package io.tokenhub.dashboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * routing-service's {@code /api/routing}, {@code /api/routing/groups} and {@code /api/routing/regions}, called with the
 * signed-in user's access token.
 */
@RegisterRestClient(configKey = "routing")
@RegisterClientHeaders(UserToken.class)
@Path("/api/routing")
@Produces(MediaType.APPLICATION_JSON)
public interface RoutingClient {

    @GET
    JsonNode get(@QueryParam("account") String account);

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode put(@QueryParam("account") String account, JsonNode update);

    /** The catalog's equivalence groups, the same for every account. */
    @GET
    @Path("/groups")
    JsonNode groups();

    /** The regions with provider endpoints, the same for every account. */
    @GET
    @Path("/regions")
    JsonNode regions();
}
