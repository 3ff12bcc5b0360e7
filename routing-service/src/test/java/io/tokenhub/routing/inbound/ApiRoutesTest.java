package io.tokenhub.routing.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tokenhub.common.events.Api;
import org.junit.jupiter.api.Test;

/** The api a usage event names comes from the route the request arrived on, the new APIs' routes included. */
class ApiRoutesTest {

    @Test
    void eachBilledRouteNamesItsApiAndOthersNone() {
        assertEquals(Api.CHAT_COMPLETIONS, ApiRoutes.forPath("/v1/chat/completions"));
        assertEquals(Api.RESPONSES, ApiRoutes.forPath("/v1/responses"));
        assertEquals(Api.MESSAGES, ApiRoutes.forPath("/v1/messages"));
        assertEquals(Api.EMBEDDINGS, ApiRoutes.forPath("/v1/embeddings"));
        assertNull(ApiRoutes.forPath("/v1/models"));
        assertNull(ApiRoutes.forPath("/v1/messages/count_tokens"));
    }
}
