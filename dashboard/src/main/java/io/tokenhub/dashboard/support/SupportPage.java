package io.tokenhub.dashboard.support;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.tokenhub.dashboard.web.View;
import io.tokenhub.service.error.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * The support chat's pages: the conversation as JSON for the chat panel, the same as a page (the panel's no-script
 * fallback, whose form posts with the CSRF token), and the administrators' inbox of open conversations.
 */
@Path("/support")
@Authenticated
public class SupportPage {

    private final Template support;
    private final Template inbox;
    private final SupportChat chat;
    private final SupportHub hub;
    private final View view;

    public SupportPage(
            @Location("support.html") Template support,
            @Location("support-inbox.html") Template inbox,
            SupportChat chat,
            SupportHub hub,
            View view) {
        this.support = support;
        this.inbox = inbox;
        this.chat = chat;
        this.hub = hub;
        this.view = view;
    }

    /**
     * What the chat panel shows.
     *
     * @param account whose conversation
     * @param messages its open conversation's messages, oldest first
     */
    public record Conversation(String account, List<ChatMessage> messages) {}

    @GET
    @Path("/conversation")
    @Produces(MediaType.APPLICATION_JSON)
    public Conversation conversation(@QueryParam("account") String account) {
        String shown = view.frame("support", account).account();
        return new Conversation(shown, chat.conversation(shown));
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page(@QueryParam("account") String account) {
        View.Frame frame = view.frame("support", account);
        return support.data("frame", frame).data("messages", chat.conversation(frame.account()));
    }

    /** The form fallback: stores, tells the sockets, and shows the conversation again. */
    @POST
    @Path("/messages")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response post(
            @QueryParam("account") String account,
            @FormParam("body") String body,
            @FormParam("request_id") String requestId) {
        View.Frame frame = view.frame("support", account);
        hub.message(chat.post(
                frame.account(),
                frame.admin(),
                view.userName(),
                SupportText.body(body),
                SupportText.requestId(requestId)));
        return Response.seeOther(
                        URI.create(frame.admin() ? "/support/inbox/" + frame.account() : "/support" + frame.query()))
                .build();
    }

    @GET
    @Path("/inbox")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance inbox(@QueryParam("account") String account) {
        View.Frame frame = adminFrame(account);
        return inbox.data("frame", frame).data("rows", chat.inbox());
    }

    @GET
    @Path("/inbox/{account}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance thread(@PathParam("account") String account) {
        View.Frame frame = adminFrame(account);
        return support.data("frame", frame).data("messages", chat.conversation(frame.account()));
    }

    @POST
    @Path("/inbox/{account}/close")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response close(@PathParam("account") String account) {
        View.Frame frame = adminFrame(account);
        if (chat.close(frame.account())) {
            hub.closed(frame.account());
        }
        return Response.seeOther(URI.create("/support/inbox")).build();
    }

    /** The inbox is TokenHub support's: a member is refused before anything is read. */
    private View.Frame adminFrame(String account) {
        View.Frame frame = view.frame("inbox", account);
        if (!frame.admin()) {
            throw ApiException.forbidden("admin_only", "The support inbox is for TokenHub support.");
        }
        return frame;
    }
}
