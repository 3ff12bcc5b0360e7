package io.tokenhub.dashboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.tokenhub.suite.LocalSuite;
import io.tokenhub.suite.SharedSuite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The support chat in headless Chromium against the whole suite: a member writes, support sees it arrive live in the
 * inbox and answers, the member sees the answer live; HTML stays text; another account sees none of it, neither
 * through the pages nor through the socket; a foreign origin cannot open the socket.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedSuite.WithDashboard.class)
@Order(SharedSuite.ORDER)
class SupportChatIT {

    private static final Path TARGET = Path.of("target");
    private static final LocatorAssertions.HasTextOptions LIVE =
            new LocatorAssertions.HasTextOptions().setTimeout(10_000);
    private static final String HTML_MESSAGE = "<b>hi</b> <img src=x onerror=alert(1)> my request failed";

    static LocalSuite suite;
    static Chromium chromium;

    @BeforeAll
    static void start(LocalSuite shared) {
        suite = shared;
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    @Order(1)
    void aMessageReachesTheInboxLiveAndTheAnswerComesBackLive() throws Exception {
        try (BrowserContext memberContext = context();
                BrowserContext adminContext = context()) {
            Page admin = signIn(adminContext, "admin");
            admin.navigate(suite.dashboardUrl() + "/support/inbox");
            assertTrue(admin.locator("#support-inbox").isVisible(), admin.content());

            Page member = signIn(memberContext, "member");
            member.click("#support-toggle");
            assertTrue(member.locator("#support-panel").isVisible());
            PlaywrightAssertions.assertThat(member.locator("#support-body")).isFocused();
            awaitSocket(member);
            member.fill("#support-body", HTML_MESSAGE);
            member.keyboard().press("Tab");
            member.keyboard().press("Enter");

            Locator own = member.locator("#support-panel .support-messages .body");
            PlaywrightAssertions.assertThat(own.last()).hasText(HTML_MESSAGE, LIVE);
            assertEquals(
                    0,
                    member.locator("#support-panel img, #support-panel .body b").count(),
                    "HTML stays text");

            // The inbox, loaded before the message was sent, shows the account arrive without a reload.
            Locator row = admin.locator("#support-inbox tr[data-account='demo'] .state");
            PlaywrightAssertions.assertThat(row).hasText("unanswered", LIVE);
            admin.screenshot(new Page.ScreenshotOptions()
                    .setPath(TARGET.resolve("pages").resolve("support-inbox.png"))
                    .setFullPage(true));

            admin.click("#support-inbox tr[data-account='demo'] a");
            PlaywrightAssertions.assertThat(
                            admin.locator("#support-thread .body").last())
                    .hasText(HTML_MESSAGE, LIVE);
            assertEquals(
                    0,
                    admin.locator("#support-thread img, #support-thread .body b")
                            .count());
            awaitSocket(admin);
            admin.fill("#thread-body", "Looking at it now.");
            admin.click("#thread-send");

            PlaywrightAssertions.assertThat(
                            member.locator("#support-panel .msg-support .body").last())
                    .hasText("Looking at it now.", LIVE);
            member.screenshot(new Page.ScreenshotOptions()
                    .setPath(TARGET.resolve("pages").resolve("support-chat.png"))
                    .setFullPage(false));
            assertEquals(2, storedMessages("demo"), "both messages are in PostgreSQL");
        }
    }

    @Test
    @Order(2)
    void aRequestIsAttachedInOneClick() throws Exception {
        try (BrowserContext memberContext = context()) {
            Page member = signIn(memberContext, "member");
            member.navigate(suite.dashboardUrl() + "/usage/requests?id=req-attached-1");
            awaitSocket(member);
            member.click("#ask-support");
            assertTrue(member.locator("#support-panel").isVisible());
            assertEquals("req-attached-1", member.textContent("#support-panel .support-attached-id"));
            member.fill("#support-body", "Why did this one cost so much?");
            member.click("#support-send");
            PlaywrightAssertions.assertThat(
                            member.locator("#support-panel .msg").last().locator(".about code"))
                    .hasText("req-attached-1", LIVE);
        }
    }

    @Test
    @Order(3)
    void anotherAccountSeesNoneOfItThroughThePagesOrTheSocket() throws Exception {
        try (BrowserContext otherContext = context()) {
            Page other = signIn(otherContext, "other");
            for (String path : List.of(
                    "/support/conversation?account=demo",
                    "/support?account=demo",
                    "/support/inbox",
                    "/support/inbox/demo")) {
                Response answer = other.navigate(suite.dashboardUrl() + path);
                assertEquals(403, answer.status(), path);
                assertFalse(other.content().contains("my request failed"), path);
            }
            Response own = other.navigate(suite.dashboardUrl() + "/support/conversation");
            assertEquals(200, own.status());
            assertFalse(own.text().contains("my request failed"));

            // Through the socket: writing into demo's conversation is refused, and demo's messages never arrive.
            other.navigate(suite.dashboardUrl() + "/");
            awaitSocket(other);
            long before = storedMessages("demo");
            other.evaluate(
                    "() => { window.heard = []; const s = new WebSocket('ws://' + location.host + '/support/ws');"
                            + " s.onmessage = m => window.heard.push(JSON.parse(m.data));"
                            + " s.onopen = () => s.send(JSON.stringify({account: 'demo', body: 'let me in'})); }");
            other.waitForFunction("() => window.heard.length > 0");
            assertEquals("error", other.evaluate("() => window.heard[0].type"));
            assertEquals(before, storedMessages("demo"), "the refused message was not stored");

            try (BrowserContext memberContext = context()) {
                Page member = signIn(memberContext, "member");
                member.click("#support-toggle");
                awaitSocket(member);
                member.fill("#support-body", "demo only");
                member.click("#support-send");
                PlaywrightAssertions.assertThat(
                                member.locator("#support-panel .body").last())
                        .hasText("demo only", LIVE);
            }
            Thread.sleep(1000);
            assertEquals(1, ((Number) other.evaluate("() => window.heard.length")).intValue(), "only its own refusal");
            assertEquals(before + 1, storedMessages("demo"), "demo's own message was stored");
            assertEquals(0, other.locator(".support-messages li").count());
        }
    }

    @Test
    @Order(4)
    void aForeignOriginOrNoSessionCannotOpenTheSocket() {
        assertThrows(CompletionException.class, () -> handshake(suite.dashboardUrl(), null), "no session");
        try (BrowserContext memberContext = context()) {
            signIn(memberContext, "member");
            // The browser sends the session cookie with a socket opened by any page; the origin is what refuses it.
            String cookies = memberContext.cookies().stream()
                    .map(c -> c.name + "=" + c.value)
                    .reduce((a, b) -> a + "; " + b)
                    .orElseThrow();
            CompletionException foreign =
                    assertThrows(CompletionException.class, () -> handshake("http://evil.example", cookies));
            assertEquals(
                    403,
                    ((WebSocketHandshakeException) foreign.getCause())
                            .getResponse()
                            .statusCode());
            handshake(suite.dashboardUrl(), cookies).abort();
        }
    }

    /** Opens the support socket outside a browser, with the headers a page on {@code origin} would send. */
    private static WebSocket handshake(String origin, String cookies) {
        WebSocket.Builder builder =
                HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", origin);
        if (cookies != null) {
            builder.header("Cookie", cookies);
        }
        URI ws = URI.create(suite.dashboardUrl().replace("http://", "ws://") + "/support/ws");
        return builder.buildAsync(ws, new WebSocket.Listener() {}).join();
    }

    private static BrowserContext context() {
        return chromium.newContext();
    }

    private static Page signIn(BrowserContext context, String user) {
        Page page = context.newPage();
        Chromium.signIn(page, suite.dashboardUrl(), user);
        return page;
    }

    /** The page's support socket is open, so a send goes live rather than through the form. */
    private static void awaitSocket(Page page) {
        page.waitForFunction("() => document.body.dataset.supportSocket === 'open'");
    }

    private static long storedMessages(String account) throws Exception {
        LocalSuite.Database db = suite.database();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM support.support_message m JOIN"
                        + " support.support_conversation c ON c.id = m.conversation_id WHERE c.account_id = '"
                        + account + "'")) {
            r.next();
            return r.getLong(1);
        }
    }
}
