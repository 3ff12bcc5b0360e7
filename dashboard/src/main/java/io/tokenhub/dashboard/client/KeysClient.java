package io.tokenhub.dashboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** gateway-service's {@code /api/keys}, called with the signed-in user's access token. */
@RegisterRestClient(configKey = "gateway")
@RegisterClientHeaders(UserToken.class)
@Path("/api/keys")
@Produces(MediaType.APPLICATION_JSON)
public interface KeysClient {

    @GET
    JsonNode list(@QueryParam("account") String account);

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode create(@QueryParam("account") String account, JsonNode request);

    @DELETE
    @Path("/{id}")
    void revoke(@PathParam("id") String id, @QueryParam("account") String account);
}
