package io.tokenhub.suite;

import io.tokenhub.infra.DevOidcIssuer;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;

/**
 * What the run command prints once the suite is ready: where it is, the {@code export} lines the README's examples
 * rely on, the demo account's limits, and copy-paste calls to try it.
 */
final class Banner {

    private Banner() {}

    /**
     * The dashboard bearer tokens printed for the APIs.
     *
     * @param member the demo account's member token, {@code DASHBOARD_TOKEN}
     * @param admin an administrator's token, {@code ADMIN_TOKEN}, which names the account with {@code ?account=}
     * @param expires when both stop being accepted
     */
    record Tokens(String member, String admin, Instant expires) {}

    static void print(LocalSuite suite, Tokens tokens, PrintStream out) {
        String base = suite.gatewayUrl() + "/v1";
        String billing = suite.serviceUrl("billing-service") + "/api/billing";
        out.println();
        out.println("TokenHub is ready.");
        out.println();
        out.println("  OpenAI base URL : " + base);
        out.println("  Billing API     : " + billing);
        out.println("  Routing API     : " + suite.serviceUrl("routing-service") + "/api/routing");
        out.println("  Provider status : " + suite.serviceUrl("health-monitor") + "/api/providers/status");
        if (suite.hasDashboard()) {
            out.println("  Dashboard       : " + suite.dashboardUrl());
            out.println("                    sign in as member / " + DevOidcIssuer.PASSWORD
                    + " (the demo account) or admin / " + DevOidcIssuer.PASSWORD + " (every account)");
        }
        out.println("  Health, metrics : " + suite.managementUrl("gateway-service")
                + "/q/health, /q/metrics, /q/openapi (the gateway's management port; each service has its own)");
        out.println("  Logs            : " + suite.logDir());
        out.println();
        out.println("Paste these into your shell; the README's examples use them. The two dashboard tokens expire at "
                + tokens.expires() + "; restart for new ones.");
        out.println();
        out.println("  export TOKENHUB_KEY=" + suite.demoKey());
        out.println("  export DASHBOARD_TOKEN=" + tokens.member());
        out.println("  export ADMIN_TOKEN=" + tokens.admin());
        out.println();
        out.println(
                "TOKENHUB_KEY is the demo account's API key, DASHBOARD_TOKEN a member of that account, ADMIN_TOKEN an");
        out.println("administrator, who names the account: " + billing + "/usage?account=" + suite.demoAccount());
        out.println();
        printPlan(suite.demoPlan(), out);
        out.println();
        out.println("Try it:");
        out.println();
        out.println("  curl -i " + base + "/chat/completions \\");
        out.println("    -H \"Authorization: Bearer $TOKENHUB_KEY\" -H 'Content-Type: application/json' \\");
        out.println("    -d '{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'");
        out.println();
        out.println("Or with the official OpenAI SDK (npm install openai):");
        out.println();
        out.println("  OPENAI_BASE_URL=" + base + " OPENAI_API_KEY=$TOKENHUB_KEY node --input-type=module -e \"");
        out.println("    import OpenAI from 'openai'; const client = new OpenAI();");
        out.println("    const r = await client.chat.completions.create({model: 'gpt-4o',"
                + " messages: [{role: 'user', content: 'Hello'}]});");
        out.println("    console.log(r._request_id, r.choices[0].message.content);\"");
        out.println();
        out.println("Then find the request in the ledger (use the id from X-Inferoute-Request-Id):");
        out.println();
        out.println("  curl -H \"Authorization: Bearer $DASHBOARD_TOKEN\" " + billing + "/requests/<request-id>");
        out.println();
        out.println("Press Ctrl-C to stop everything.");
    }

    private static void printPlan(LocalSuite.DemoPlan plan, PrintStream out) {
        if (plan.limits().isEmpty()) {
            out.println("The demo account is on rate-limit plan '" + plan.name()
                    + "', as configured in gateway-service's application.properties.");
            return;
        }
        out.println("The demo account is on rate-limit plan '" + plan.name() + "', sized so the benchmark is never"
                + " throttled (0 = no limit):");
        for (Map.Entry<String, Long> limit : plan.limits().entrySet()) {
            out.printf("  %-28s %,d%n", limit.getKey(), limit.getValue());
        }
        out.println(
                "Start with TOKENHUB_RATE_LIMITS_ACCOUNTS_DEMO=default to try the production default plan instead.");
    }
}
