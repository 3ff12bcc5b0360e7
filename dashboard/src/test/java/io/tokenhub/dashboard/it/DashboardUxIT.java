package io.tokenhub.dashboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.tokenhub.suite.LocalSuite;
import io.tokenhub.suite.SharedSuite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What issue 12 asks of the dashboard beyond its features: a lost session leads back through sign-in to the page the
 * user was on, every page works on a phone, every control is reachable by keyboard and has an accessible name; and
 * the routing page's equivalence groups and the invoice's status and adjustments, each against the services' APIs.
 * Screenshots go to {@code target/screenshots-ux/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardUxIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCREENSHOTS = Path.of("target", "screenshots-ux");
    private static final List<String> PAGES =
            List.of("/", "/routing", "/keys", "/usage", "/providers", "/usage/invoice");
    private static final List<String> NAV =
            List.of("Overview", "Routing", "API keys", "Usage and billing", "Providers");

    @TempDir
    static Path data;

    static LocalSuite suite;
    static Chromium chromium;
    static HttpClient http;
    static YearMonth thisMonth;

    BrowserContext context;
    Page page;
    String testName;

    @BeforeAll
    static void start() throws Exception {
        // Months close as soon as they end, checked every 2 s, so last month's invoice is closed during the test.
        suite = LocalSuite.start(
                LocalSuite.freePorts(SharedSuite.repoRoot(), data).withDashboard(),
                Map.of("TOKENHUB_BILLING_INVOICE_CLOSE_GRACE", "0s", "TOKENHUB_BILLING_INVOICE_CLOSE_EVERY", "2s"));
        thisMonth = YearMonth.now(ZoneOffset.UTC);
        seedLastMonthAndALateLine();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        Chromium.closeAll(chromium, suite);
    }

    @BeforeEach
    void open(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
        context = chromium.newContext();
        page = context.newPage();
    }

    @AfterEach
    void screenshot() {
        Chromium.screenshotAndClose(context, page, SCREENSHOTS, testName);
    }

    @Test
    @Order(1)
    void aLostSessionSignsInAgainAndReturnsToThePageItWasOn() {
        signIn("member");
        String where = suite.dashboardUrl() + "/usage?from=2020-01-01";
        page.navigate(where);
        assertTrue(page.locator("#ledger").isVisible(), page.content());

        // The session cookie is all the dashboard knows the user by; without it the session is over.
        context.clearCookies();
        page.navigate(suite.dashboardUrl() + "/routing");
        assertTrue(page.url().contains("/authorize"), "a lost session asks to sign in again: " + page.url());
        page.fill("#username", "member");
        page.fill("#password", "user");
        page.click("text=Sign in");
        page.waitForURL(url -> url.startsWith(suite.dashboardUrl()));

        assertEquals(suite.dashboardUrl() + "/routing", page.url(), "back on the page it was on");
        assertTrue(page.locator("#routing-form").isVisible(), page.content());
    }

    @Test
    @Order(2)
    void everyPageFitsAPhoneAndItsNavigationWorksThere() {
        context.close();
        context = chromium.browser()
                .newContext(new Browser.NewContextOptions()
                        .setViewportSize(390, 844)
                        .setDeviceScaleFactor(3)
                        .setIsMobile(true)
                        .setHasTouch(true));
        page = context.newPage();
        signIn("member");
        for (String path : PAGES) {
            page.navigate(suite.dashboardUrl() + path);
            int overflow = ((Number) page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth"))
                    .intValue();
            assertTrue(overflow <= 0, path + " is wider than the phone by " + overflow + " px");
            for (String link : NAV) {
                assertTrue(
                        page.getByRole(
                                        AriaRole.LINK,
                                        new Page.GetByRoleOptions()
                                                .setName(link)
                                                .setExact(true))
                                .isVisible(),
                        path + ": nav link " + link + " visible");
            }
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(SCREENSHOTS.resolve(
                            "phone" + (path.equals("/") ? "-overview" : path.replace('/', '-')) + ".png"))
                    .setFullPage(true));
        }
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("API keys"))
                .tap();
        page.waitForURL(url -> url.contains("/keys"));
        assertTrue(
                page.locator("h1").textContent().contains("key")
                        || page.locator("h1").textContent().contains("Key"),
                page.content());
    }

    @Test
    @Order(3)
    void theKeyboardReachesTheNavigationAndEveryControlOfTheRoutingForm() {
        signIn("member");
        page.navigate(suite.dashboardUrl() + "/routing");
        List<String> reached = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            page.keyboard().press("Tab");
            reached.add((String) page.evaluate("() => { const e = document.activeElement;"
                    + " return e.tagName + ':' + (e.id || e.textContent.trim()); }"));
        }
        for (String link : NAV) {
            assertTrue(reached.contains("A:" + link), "Tab reaches " + link + ": " + reached);
        }
        for (String id : List.of("strategy-default", "fallback", "backup-1", "backup-5")) {
            assertTrue(reached.stream().anyMatch(r -> r.endsWith(":" + id)), "Tab reaches #" + id + ": " + reached);
        }
        assertTrue(reached.contains("BUTTON:Save routing"), "Tab reaches the save button: " + reached);
        // Enter on a focused nav link follows it.
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Providers"))
                .focus();
        page.keyboard().press("Enter");
        page.waitForURL(url -> url.contains("/providers"));
        assertTrue(page.locator("h1").textContent().contains("Providers"), page.content());
    }

    @Test
    @Order(4)
    void everyFormControlHasAnAccessibleName() {
        signIn("member");
        page.navigate(suite.dashboardUrl() + "/routing");
        assertTrue(page.getByLabel("Default").isChecked()
                || page.getByLabel("Latency-optimized").isChecked());
        assertTrue(page.getByLabel("Fall back to an equivalent model at another provider")
                .isVisible());
        for (int slot = 1; slot <= 5; slot++) {
            assertTrue(page.getByLabel("Backup " + slot, new Page.GetByLabelOptions().setExact(true))
                    .isVisible());
        }
        assertTrue(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save routing"))
                .isVisible());
        for (String path : PAGES) {
            page.navigate(suite.dashboardUrl() + path);
            List<?> unnamed = (List<?>) page.evaluate("() => [...document.querySelectorAll("
                    + "'input:not([type=hidden]), select, textarea, button')].filter(e => {"
                    + " const label = (e.labels && [...e.labels].map(l => l.textContent).join('').trim())"
                    + " || e.getAttribute('aria-label') || (e.getAttribute('aria-labelledby') || '')"
                    + ".split(' ').map(id => document.getElementById(id)).filter(Boolean)"
                    + ".map(l => l.textContent).join('').trim()"
                    + " || (e.tagName === 'BUTTON' && e.textContent.trim());"
                    + " return !label; }).map(e => e.outerHTML)");
            assertEquals(List.of(), unnamed, path + ": controls without an accessible name");
        }
    }

    @Test
    @Order(5)
    void theRoutingPageShowsEachGroupWithItsMembersLiveStatus() throws Exception {
        JsonNode groups = api(suite.serviceUrl("routing-service") + "/api/routing/groups");
        JsonNode status = api(suite.serviceUrl("health-monitor") + "/api/providers/status");
        signIn("member");
        page.navigate(suite.dashboardUrl() + "/routing");

        assertTrue(groups.path("groups").size() > 0, groups.toString());
        assertEquals(
                groups.path("groups").size(),
                page.locator("#groups-table tbody tr").count());
        for (JsonNode g : groups.path("groups")) {
            Locator row =
                    page.locator("#groups-table tr[data-group='" + g.path("id").asText() + "']");
            List<String> shown = row.locator("li[data-model]").all().stream()
                    .map(li -> li.getAttribute("data-model"))
                    .toList();
            List<String> members = new ArrayList<>();
            g.path("members").forEach(m -> members.add(m.path("model").asText()));
            assertEquals(members, shown, "members of " + g.path("id").asText() + " in default order");
            for (JsonNode m : g.path("members")) {
                String expected = expectedStatus(
                        status, m.path("provider").asText(), m.path("model").asText());
                assertTrue(
                        row.locator("li[data-model='" + m.path("model").asText() + "']")
                                .textContent()
                                .contains(expected),
                        m + " shows " + expected);
            }
        }
        assertTrue(page.locator("#groups").textContent().contains("Latency-optimized"), "the choices explained");
    }

    @Test
    @Order(6)
    void theInvoicePageShowsWhetherTheMonthIsClosedAndItsAdjustments() throws Exception {
        YearMonth lastMonth = thisMonth.minusMonths(1);
        awaitClosed(lastMonth);
        signIn("member");

        page.navigate(suite.dashboardUrl() + "/usage/invoice?period=" + lastMonth);
        JsonNode closed = api(suite.serviceUrl("billing-service") + "/api/billing/invoices/" + lastMonth);
        assertTrue(page.locator("#invoice-status").textContent().contains("Closed"), page.content());
        assertTrue(
                page.locator("#invoice-status")
                        .textContent()
                        .contains(closed.path("closed_at").asText()),
                "closed at " + closed.path("closed_at").asText() + ": " + page.content());
        assertTrue(page.locator("#no-adjustments").isVisible(), page.content());

        page.navigate(suite.dashboardUrl() + "/usage/invoice?period=" + thisMonth);
        assertTrue(page.locator("#invoice-status").textContent().contains("Open"), page.content());
        JsonNode open = api(suite.serviceUrl("billing-service") + "/api/billing/invoices/" + thisMonth);
        JsonNode adjustment = null;
        for (JsonNode line : open.path("lines")) {
            if (line.path("adjustment_for").isTextual()) {
                adjustment = line;
            }
        }
        assertTrue(adjustment != null, "billing shows the late line as an adjustment: " + open);
        Locator row = page.locator("#adjustments tbody tr");
        assertEquals(1, row.count(), page.content());
        assertTrue(row.textContent().contains(adjustment.path("adjustment_for").asText()), row.textContent());
        assertTrue(row.textContent().contains(adjustment.path("total_usd").asText()), row.textContent());
        assertTrue(
                page.locator("#invoice tfoot")
                        .textContent()
                        .contains(open.path("total_usd").asText()),
                page.content());
    }

    /** health-monitor lists a model only where it differs from its provider. */
    private static String expectedStatus(JsonNode status, String provider, String model) {
        for (JsonNode p : status.path("providers")) {
            if (p.path("provider").asText().equals(provider)) {
                for (JsonNode m : p.path("models")) {
                    if (m.path("model").asText().equals(model)) {
                        return m.path("status").asText();
                    }
                }
                return p.path("status").asText();
            }
        }
        return "UNKNOWN";
    }

    private void signIn(String user) {
        Chromium.signIn(page, suite.dashboardUrl(), user);
    }

    private static JsonNode api(String url) throws Exception {
        String token = suite.dashboardToken(suite.demoAccount(), Set.of(), Duration.ofMinutes(5));
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), url + ": " + answer.body());
        return JSON.readTree(answer.body());
    }

    private static void awaitClosed(YearMonth month) throws Exception {
        Instant deadline = Instant.now().plusSeconds(90);
        String url = suite.serviceUrl("billing-service") + "/api/billing/invoices/" + month;
        while (!"closed".equals(api(url).path("status").asText())) {
            assertTrue(Instant.now().isBefore(deadline), month + " never closed");
            Thread.sleep(1000);
        }
    }

    /**
     * A line of last month (so its invoice has something to close) and a line that ran last month but reached billing
     * this month: an adjustment on this month's invoice, as billing writes one for a late event.
     */
    private static void seedLastMonthAndALateLine() throws Exception {
        LocalSuite.Database db = suite.database();
        String last = thisMonth.minusMonths(1).atDay(1).toString();
        String ran = thisMonth
                .minusMonths(1)
                .atDay(15)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC)
                .toString();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                Statement s = c.createStatement()) {
            for (String[] line : List.of(
                    new String[] {"ux-last-month", last, "NULL"},
                    new String[] {"ux-late", thisMonth.atDay(1).toString(), "'" + last + "'"})) {
                s.execute("INSERT INTO billing.usage_ledger (account_id, request_id, key_id, requested_model, model,"
                        + " provider, provider_model, input_tokens, output_tokens, cached_tokens, latency_ms,"
                        + " time_to_first_token_ms, status, http_status, fallback_attempts, streamed, event_version,"
                        + " occurred_at, usage_day, billed_at, answered, input_usd_per_1m, output_usd_per_1m,"
                        + " provider_cost_usd, routing_fee_usd, total_usd, invoice_month, adjustment_for)"
                        + " VALUES ('demo', '" + line[0] + "', 'key-seed', 'gpt-4o-mini', 'gpt-4o-mini', 'openai',"
                        + " 'gpt-4o-mini', 1000, 500, 0, 120, NULL, 'SUCCEEDED', 200, 0, false, 1, '" + ran + "',"
                        + " '" + ran.substring(0, 10) + "', now(), true, 0.15, 0.60, 0.00045000, 0.00010000,"
                        + " 0.00055000, '" + line[1] + "', " + line[2] + ")");
            }
        }
    }
}
