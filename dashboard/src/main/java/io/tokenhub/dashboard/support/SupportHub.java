package io.tokenhub.dashboard.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tells the open support sockets what happened: a member's sockets hear their own account only, an administrator's
 * every account. Callers store first and tell after, so nothing is ever shown that was not kept.
 */
@ApplicationScoped
public class SupportHub {

    private final OpenConnections connections;
    private final ObjectMapper json;

    public SupportHub(OpenConnections connections, ObjectMapper json) {
        this.connections = connections;
        this.json = json;
    }

    /** A stored message, to the account's sockets and every administrator's. */
    public void message(ChatMessage message) {
        ObjectNode event = json.valueToTree(message);
        event.put("type", "message");
        send(message.account(), event);
    }

    /** A closed conversation, so open pages say so and the inbox drops it. */
    public void closed(String account) {
        send(account, json.createObjectNode().put("type", "closed").put("account", account));
    }

    /** Whether a connection may hear about {@code account}: its own account, or any for an administrator. */
    static boolean hears(WebSocketConnection connection, String account) {
        return Boolean.TRUE.equals(connection.userData().get(SupportUpgradeCheck.ADMIN))
                || account.equals(connection.userData().get(SupportUpgradeCheck.ACCOUNT));
    }

    private void send(String account, ObjectNode event) {
        String text;
        try {
            text = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        for (WebSocketConnection connection : connections.findByEndpointId(SupportSocket.ID)) {
            if (connection.isOpen() && hears(connection, account)) {
                // Never the text in a log line: only which connection missed an event.
                connection
                        .sendText(text)
                        .subscribe()
                        .with(ok -> {}, failure -> Log.debugf("support event not delivered to %s", connection.id()));
            }
        }
    }
}
