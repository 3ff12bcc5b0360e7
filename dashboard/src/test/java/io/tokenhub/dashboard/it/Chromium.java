package io.tokenhub.dashboard.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.tokenhub.suite.LocalSuite;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Headless Debian Chromium ({@code /usr/bin/chromium}) driven by Playwright, which never downloads a browser, and
 * signing in at the dev issuer's form: what every dashboard browser test needs.
 */
final class Chromium implements AutoCloseable {

    private static final List<String> ARGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync");

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    static Chromium launch() {
        Playwright playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            return new Chromium(
                    playwright,
                    playwright
                            .chromium()
                            .launch(new BrowserType.LaunchOptions()
                                    .setExecutablePath(Path.of("/usr/bin/chromium"))
                                    .setArgs(ARGS)));
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    Browser browser() {
        return browser;
    }

    /** A desktop-size page's context (1280x900), fresh so no test sees another's cookies. */
    BrowserContext newContext() {
        return browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
    }

    /** Saves what a test left on screen as {@code dir/name.png}, the whole page, then closes its context. */
    static void screenshotAndClose(BrowserContext context, Page page, Path dir, String name) {
        page.screenshot(
                new Page.ScreenshotOptions().setPath(dir.resolve(name + ".png")).setFullPage(true));
        context.close();
    }

    /** Closes the browser, then the suite; either is null when starting failed before it. */
    static void closeAll(Chromium chromium, LocalSuite suite) {
        if (chromium != null) {
            chromium.close();
        }
        if (suite != null) {
            suite.close();
        }
    }

    /** Opens the dashboard, signs in as {@code user} (password {@code user}) and waits to be back on it. */
    static void signIn(Page page, String dashboardUrl, String user) {
        page.navigate(dashboardUrl + "/");
        page.fill("#username", user);
        page.fill("#password", "user");
        page.click("text=Sign in");
        page.waitForURL(url -> url.startsWith(dashboardUrl));
        assertTrue(page.locator("nav").isVisible(), page.content());
    }

    @Override
    public void close() {
        playwright.close();
    }
}
