package io.tokenhub.dashboard.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.tokenhub.suite.LocalSuite;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The whole suite with the dashboard, and headless Debian Chromium driven by Playwright (which never downloads a
 * browser): what every browser test starts once and closes at the end.
 *
 * @param suite the running suite
 * @param playwright the driver
 * @param browser Chromium
 */
record BrowserSuite(LocalSuite suite, Playwright playwright, Browser browser) implements AutoCloseable {

    private static final List<String> CHROMIUM_ARGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync");

    static BrowserSuite start(Path data) {
        Path root = Path.of(System.getProperty("tokenhub.repo.root", ".."))
                .toAbsolutePath()
                .normalize();
        LocalSuite suite = LocalSuite.start(LocalSuite.freePorts(root, data).withDashboard(), Map.of());
        Playwright playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(Path.of("/usr/bin/chromium"))
                        .setArgs(CHROMIUM_ARGS));
        return new BrowserSuite(suite, playwright, browser);
    }

    /** Signs {@code user} in at the dev issuer (password {@code user}) and waits for the dashboard's first page. */
    void signIn(Page page, String user) {
        page.navigate(suite.dashboardUrl() + "/");
        page.fill("#username", user);
        page.fill("#password", "user");
        page.click("text=Sign in");
        page.waitForURL(url -> url.startsWith(suite.dashboardUrl()));
        assertTrue(page.locator("nav").isVisible(), page.content());
    }

    @Override
    public void close() {
        playwright.close();
        suite.close();
    }
}
