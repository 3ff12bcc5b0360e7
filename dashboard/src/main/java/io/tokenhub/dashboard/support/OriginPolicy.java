package io.tokenhub.dashboard.support;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Whether a WebSocket upgrade's {@code Origin} may open the support socket. Browsers apply no CORS to WebSockets and
 * send the session cookie to any page's socket, so without this check another site could chat as the signed-in
 * user: the origin must be the dashboard's own (the {@code Host} it was reached at) or one configured.
 */
public final class OriginPolicy {

    private OriginPolicy() {}

    /**
     * @param origin the upgrade's {@code Origin} header; a browser always sends one, so none is refused
     * @param host the upgrade's {@code Host} header
     * @param allowed extra origins, such as the public URL behind a proxy that rewrites {@code Host}
     */
    public static boolean allows(String origin, String host, List<String> allowed) {
        if (origin == null || origin.isBlank() || "null".equals(origin.trim())) {
            return false;
        }
        String normalized = normalize(origin.trim());
        if (normalized == null) {
            return false;
        }
        for (String extra : allowed) {
            if (normalized.equals(normalize(extra.trim()))) {
                return true;
            }
        }
        if (host == null || host.isBlank()) {
            return false;
        }
        String scheme = normalized.substring(0, normalized.indexOf(':'));
        return normalized.equals(normalize(scheme + "://" + host.trim()));
    }

    /** {@code scheme://host:port} in lower case with the default port made explicit, or null when malformed. */
    static String normalize(String origin) {
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null || host == null || uri.getRawUserInfo() != null) {
                return null;
            }
            String path = uri.getRawPath();
            if ((path != null && !path.isEmpty() && !"/".equals(path)) || uri.getRawQuery() != null) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            if (port < 0) {
                port = "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
            }
            return port < 0 ? null : scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
