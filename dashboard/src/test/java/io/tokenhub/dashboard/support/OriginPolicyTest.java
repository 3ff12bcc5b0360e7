package io.tokenhub.dashboard.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {

    @Test
    void theDashboardsOwnOriginMayConnect() {
        assertTrue(OriginPolicy.allows("http://127.0.0.1:8084", "127.0.0.1:8084", List.of()));
        assertTrue(OriginPolicy.allows("https://dash.example.com", "dash.example.com", List.of()));
        assertTrue(OriginPolicy.allows("HTTPS://Dash.Example.com:443", "dash.example.com", List.of()));
    }

    @Test
    void anotherSiteOrNoOriginMayNot() {
        assertFalse(OriginPolicy.allows("https://evil.example", "dash.example.com", List.of()));
        assertFalse(OriginPolicy.allows("http://127.0.0.1:9999", "127.0.0.1:8084", List.of()));
        assertFalse(OriginPolicy.allows("https://dash.example.com.evil.example", "dash.example.com", List.of()));
        assertFalse(OriginPolicy.allows(null, "dash.example.com", List.of()));
        assertFalse(OriginPolicy.allows("null", "dash.example.com", List.of()));
        assertFalse(OriginPolicy.allows("https://dash.example.com", null, List.of()));
    }

    @Test
    void aConfiguredOriginMayConnectThroughAProxy() {
        List<String> allowed = List.of("https://dash.example.com");
        assertTrue(OriginPolicy.allows("https://dash.example.com", "dashboard:8084", allowed));
        assertFalse(OriginPolicy.allows("https://other.example.com", "dashboard:8084", allowed));
    }
}
