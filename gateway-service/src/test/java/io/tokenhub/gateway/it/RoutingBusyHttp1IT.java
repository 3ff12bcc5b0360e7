package io.tokenhub.gateway.it;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/** The HTTP/1.1 hop, kept for proxies that cannot speak h2c, with one connection: the room is the connection. */
@QuarkusTest
@TestProfile(RoutingBusyHttp1IT.OneRoutingConnection.class)
class RoutingBusyHttp1IT extends RoutingBusyIT {

    /** The pool under test. */
    public static class OneRoutingConnection implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tokenhub.gateway.routing-http2", "false", "tokenhub.gateway.routing-max-connections", "1");
        }
    }

    @Override
    String protocol() {
        return "HTTP_1_1";
    }
}
