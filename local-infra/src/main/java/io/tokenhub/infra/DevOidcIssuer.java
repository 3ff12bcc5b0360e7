package io.tokenhub.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small OpenID Connect provider for the local run and the browser tests, so the dashboard's sign-in is a real
 * authorization code flow with PKCE without an external identity provider. It signs with the same {@link DevTokens}
 * key the services already trust and puts the same claims in its tokens (account, {@code groups}), so a token it
 * issues is indistinguishable from a dev token. Every user's password is {@link #PASSWORD}.
 */
public final class DevOidcIssuer implements AutoCloseable {

    /** The one password of every local user: this issuer guards nothing but a developer's laptop. */
    public static final String PASSWORD = "user";
    /** The client the dashboard registers as. */
    public static final String CLIENT_ID = "tokenhub-dashboard";

    private static final Duration ACCESS_TTL = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One person who may sign in.
     *
     * @param username what they type
     * @param account the account their tokens name
     * @param roles their roles, written to the {@code groups} claim
     */
    public record User(String username, String account, Set<String> roles) {}

    private record Grant(User user, String redirectUri, String codeChallenge, String nonce) {}

    private final DevTokens tokens;
    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, User> refreshTokens = new ConcurrentHashMap<>();
    private final HttpServer server;

    private DevOidcIssuer(DevTokens tokens, List<User> users, int port) throws IOException {
        this.tokens = tokens;
        users.forEach(u -> this.users.put(u.username(), u));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/jwks", ex -> send(ex, 200, "application/json", tokens.jwks()));
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.createContext("/logout", this::logout);
        server.start();
    }

    /** Starts on {@code port} (0 for any free one). */
    public static DevOidcIssuer start(DevTokens tokens, List<User> users, int port) {
        try {
            return new DevOidcIssuer(tokens, users, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the dev OIDC issuer on port " + port, e);
        }
    }

    /** What the dashboard's {@code quarkus.oidc.auth-server-url} is set to. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void discovery(HttpExchange ex) throws IOException {
        ObjectNode doc = JSON.createObjectNode()
                .put("issuer", DevTokens.ISSUER)
                .put("authorization_endpoint", url() + "/authorize")
                .put("token_endpoint", url() + "/token")
                .put("jwks_uri", url() + "/jwks")
                .put("end_session_endpoint", url() + "/logout");
        doc.putArray("response_types_supported").add("code");
        doc.putArray("code_challenge_methods_supported").add("S256");
        doc.putArray("id_token_signing_alg_values_supported").add("RS256");
        send(ex, 200, "application/json", doc.toString());
    }

    private void authorize(HttpExchange ex) throws IOException {
        Map<String, String> query = form(ex.getRequestURI().getRawQuery());
        if ("POST".equals(ex.getRequestMethod())) {
            Map<String, String> posted = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            User user = users.get(posted.getOrDefault("username", ""));
            if (user == null || !PASSWORD.equals(posted.get("password"))) {
                send(ex, 401, "text/html; charset=utf-8", loginPage(posted, "Unknown user or wrong password."));
                return;
            }
            String code = randomToken();
            codes.put(
                    code,
                    new Grant(user, posted.get("redirect_uri"), posted.get("code_challenge"), posted.get("nonce")));
            String state = posted.get("state");
            redirect(
                    ex,
                    posted.get("redirect_uri") + (posted.get("redirect_uri").contains("?") ? "&" : "?") + "code=" + code
                            + (state == null ? "" : "&state=" + encode(state)));
            return;
        }
        if (!CLIENT_ID.equals(query.get("client_id")) || query.get("redirect_uri") == null) {
            send(ex, 400, "text/plain", "unknown client or no redirect_uri");
            return;
        }
        send(ex, 200, "text/html; charset=utf-8", loginPage(query, null));
    }

    private void token(HttpExchange ex) throws IOException {
        Map<String, String> body = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        User user;
        String nonce = null;
        if ("authorization_code".equals(body.get("grant_type"))) {
            Grant grant = codes.remove(body.getOrDefault("code", ""));
            if (grant == null
                    || !grant.redirectUri().equals(body.get("redirect_uri"))
                    || !pkceMatches(grant.codeChallenge(), body.get("code_verifier"))) {
                send(ex, 400, "application/json", "{\"error\":\"invalid_grant\"}");
                return;
            }
            user = grant.user();
            nonce = grant.nonce();
        } else if ("refresh_token".equals(body.get("grant_type"))) {
            user = refreshTokens.get(body.getOrDefault("refresh_token", ""));
            if (user == null) {
                send(ex, 400, "application/json", "{\"error\":\"invalid_grant\"}");
                return;
            }
        } else {
            send(ex, 400, "application/json", "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        Map<String, String> idClaims = new LinkedHashMap<>();
        idClaims.put("aud", CLIENT_ID);
        idClaims.put("preferred_username", user.username());
        if (nonce != null && !nonce.isEmpty()) {
            idClaims.put("nonce", nonce);
        }
        String refresh = randomToken();
        refreshTokens.put(refresh, user);
        ObjectNode answer = JSON.createObjectNode()
                .put("token_type", "Bearer")
                .put("expires_in", ACCESS_TTL.toSeconds())
                .put("access_token", tokens.mint(user.username(), user.account(), user.roles(), ACCESS_TTL))
                .put("id_token", tokens.mint(user.username(), user.account(), user.roles(), ACCESS_TTL, idClaims))
                .put("refresh_token", refresh);
        send(ex, 200, "application/json", answer.toString());
    }

    private void logout(HttpExchange ex) throws IOException {
        String back = form(ex.getRequestURI().getRawQuery()).get("post_logout_redirect_uri");
        if (back == null) {
            send(ex, 200, "text/plain", "Signed out.");
        } else {
            redirect(ex, back);
        }
    }

    private static boolean pkceMatches(String challenge, String verifier) {
        if (challenge == null || verifier == null) {
            return false;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(digest)
                    .equals(challenge);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String loginPage(Map<String, String> params, String error) {
        StringBuilder hidden = new StringBuilder();
        for (String name : List.of("redirect_uri", "state", "nonce", "code_challenge")) {
            hidden.append("<input type=\"hidden\" name=\"")
                    .append(name)
                    .append("\" value=\"")
                    .append(html(params.getOrDefault(name, "")))
                    .append("\">");
        }
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>Sign in to TokenHub (local)</title></head>"
                + "<body style=\"font-family:sans-serif;max-width:24rem;margin:3rem auto\">"
                + "<h1>TokenHub local sign-in</h1>"
                + (error == null ? "" : "<p role=\"alert\">" + html(error) + "</p>")
                + "<form method=\"post\" action=\"/authorize\">" + hidden
                + "<p><label for=\"username\">User</label><br><input id=\"username\" name=\"username\" autofocus></p>"
                + "<p><label for=\"password\">Password</label><br>"
                + "<input id=\"password\" name=\"password\" type=\"password\"></p>"
                + "<p><button type=\"submit\">Sign in</button></p></form>"
                + "<p>Users: " + html(String.join(", ", users.keySet())) + "; password <code>" + PASSWORD
                + "</code>.</p></body></html>";
    }

    private static String html(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(name, value);
        }
        return out;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().add("Location", URI.create(location).toString());
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.getResponseHeaders().add("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
