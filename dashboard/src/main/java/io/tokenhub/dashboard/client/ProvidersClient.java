package io.tokenhub.dashboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** health-monitor's {@code /api/providers/status}, called with the signed-in user's access token. */
@RegisterRestClient(configKey = "health")
@RegisterClientHeaders(UserToken.class)
@Path("/api/providers/status")
@Produces(MediaType.APPLICATION_JSON)
public interface ProvidersClient {

    @GET
    JsonNode status();
}
