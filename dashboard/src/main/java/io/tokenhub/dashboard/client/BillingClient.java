package io.tokenhub.dashboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** billing-service's {@code /api/billing}, called with the signed-in user's access token. */
@RegisterRestClient(configKey = "billing")
@RegisterClientHeaders(UserToken.class)
@Path("/api/billing")
@Produces(MediaType.APPLICATION_JSON)
public interface BillingClient {

    @GET
    @Path("/usage")
    JsonNode usage(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("account") String account);

    @GET
    @Path("/requests")
    JsonNode requests(
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("limit") int limit,
            @QueryParam("cursor") String cursor,
            @QueryParam("account") String account);

    @GET
    @Path("/requests/{requestId}")
    JsonNode request(@PathParam("requestId") String requestId, @QueryParam("account") String account);

    @GET
    @Path("/invoices/{period}")
    JsonNode invoice(@PathParam("period") String period, @QueryParam("account") String account);
}
