package io.tokenhub.dashboard.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.tokenhub.service.auth.AccountIds;
import io.tokenhub.service.auth.AuthConfig;
import io.tokenhub.service.error.ApiException;

/**
 * The support chat, live both ways: a page sends {@code {"account", "body", "request_id"}} and hears every message
 * of the conversations it may see. A member writes into its own account's conversation only (naming another is
 * refused and nothing is stored); an administrator answers any account's as TokenHub support. Who is who was fixed
 * at the upgrade by {@link SupportUpgradeCheck}.
 */
@WebSocket(path = "/support/ws", endpointId = SupportSocket.ID)
@Authenticated
public class SupportSocket {

    static final String ID = "support";

    private final SupportChat chat;
    private final SupportHub hub;
    private final ObjectMapper json;
    private final SecurityIdentity identity;
    private final AuthConfig auth;

    public SupportSocket(
            SupportChat chat, SupportHub hub, ObjectMapper json, SecurityIdentity identity, AuthConfig auth) {
        this.chat = chat;
        this.hub = hub;
        this.json = json;
        this.identity = identity;
        this.auth = auth;
    }

    /** The identity of the upgrade, which the check already let in, kept on the connection. */
    @OnOpen
    void onOpen(WebSocketConnection connection) {
        SupportUpgradeCheck.remember(connection.userData(), identity, auth);
    }

    /** Stores the message, then tells everyone who may see it; a refusal goes back to this socket only. */
    @OnTextMessage
    void onMessage(String text, WebSocketConnection connection) {
        try {
            JsonNode in = json.readTree(text);
            boolean admin = Boolean.TRUE.equals(connection.userData().get(SupportUpgradeCheck.ADMIN));
            String own = connection.userData().get(SupportUpgradeCheck.ACCOUNT);
            String named = in.path("account").asText("");
            String account = target(own, admin, named);
            ChatMessage message = chat.post(
                    account,
                    admin,
                    connection.userData().get(SupportUpgradeCheck.NAME),
                    SupportText.body(in.path("body").asText(null)),
                    SupportText.requestId(in.path("request_id").asText(null)));
            hub.message(message);
        } catch (ApiException e) {
            connection.sendTextAndAwait(error(e.getMessage()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            connection.sendTextAndAwait(error("The message could not be read."));
        }
    }

    /** The account a socket writes to: its own for a member, the named one for an administrator. */
    static String target(String own, boolean admin, String named) {
        if (admin) {
            return AccountIds.parse(named)
                    .orElseThrow(() -> ApiException.badRequest("account", "invalid_account", "Name the account."));
        }
        if (!named.isBlank() && !named.trim().equals(own)) {
            throw ApiException.forbidden("account_forbidden", "You may write to your own account's support only.");
        }
        return own;
    }

    private String error(String message) {
        return json.createObjectNode()
                .put("type", "error")
                .put("message", message)
                .toString();
    }
}
