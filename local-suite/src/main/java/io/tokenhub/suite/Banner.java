package io.tokenhub.suite;

import io.tokenhub.infra.DevOidcIssuer;
import java.io.PrintStream;

/** What the run command prints once the suite is ready: where it is and copy-paste calls to try it. */
final class Banner {

    private Banner() {}

    static void print(LocalSuite suite, String dashboardToken, PrintStream out) {
        String base = suite.gatewayUrl() + "/v1";
        String key = suite.demoKey();
        out.println();
        out.println("TokenHub is ready.");
        out.println();
        out.println("  OpenAI base URL : " + base);
        out.println("  Demo API key    : " + key);
        out.println("  Dashboard token : " + dashboardToken);
        out.println("  Billing API     : " + suite.serviceUrl("billing-service") + "/api/billing");
        out.println("  Provider status : " + suite.serviceUrl("health-monitor") + "/api/providers/status");
        out.println("  Dashboard       : " + suite.dashboardUrl());
        out.println("                    sign in as member / " + DevOidcIssuer.PASSWORD
                + " (the demo account) or admin / " + DevOidcIssuer.PASSWORD + " (every account)");
        out.println("  Logs            : " + suite.logDir());
        out.println();
        out.println("Try it with curl:");
        out.println();
        out.println("  curl -i " + base + "/chat/completions \\");
        out.println("    -H 'Authorization: Bearer " + key + "' -H 'Content-Type: application/json' \\");
        out.println("    -d '{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'");
        out.println();
        out.println("Or with the official OpenAI SDK (npm install openai):");
        out.println();
        out.println("  OPENAI_BASE_URL=" + base + " OPENAI_API_KEY=" + key + " node --input-type=module -e \"");
        out.println("    import OpenAI from 'openai'; const client = new OpenAI();");
        out.println("    const r = await client.chat.completions.create({model: 'gpt-4o',"
                + " messages: [{role: 'user', content: 'Hello'}]});");
        out.println("    console.log(r._request_id, r.choices[0].message.content);\"");
        out.println();
        out.println("Then find the request in the ledger (use the id from X-Inferoute-Request-Id):");
        out.println();
        out.println("  curl -H 'Authorization: Bearer " + dashboardToken + "' \\");
        out.println("    " + suite.serviceUrl("billing-service") + "/api/billing/requests/<request-id>");
        out.println();
        out.println("Press Ctrl-C to stop everything.");
    }
}
