package io.tradeflow.app;

import io.tradeflow.service.account.AccountService;
import io.tradeflow.service.account.ApiKeys;

import io.tradeflow.config.Profile;
import io.tradeflow.core.event.BrokerKind;


/**
 * On the first start of the demo profile, creates a demo user (with a random dashboard password)
 * and a paper account, and prints the password and the API key once, with a curl that sends an
 * alert. Neither is stored anywhere in clear, so they are never printed again.
 */
final class DemoSeeder {
    static final String DEMO_EMAIL = "demo@tradeflow.local";

    private DemoSeeder() {
    }

    static void seedIfFirstStart(TradeFlowServer server) {
        if (server.config().profile() != Profile.DEMO || server.accounts().userExists(DEMO_EMAIL)) {
            return;
        }
        AccountService accounts = server.accounts();
        String password = ApiKeys.generate().substring(3, 19);
        long userId = server.sessions().signUp(DEMO_EMAIL, password)
                .orElseThrow(() -> new IllegalStateException("demo user appeared concurrently")).user().id();
        long accountId = accounts.createAccount(userId, BrokerKind.PAPER, "Demo paper account");
        String key = accounts.issueKey(accountId);
        String url = "http://localhost:" + server.port() + "/api/unify/v1/webhook";
        System.out.println();
        System.out.println("Demo user " + DEMO_EMAIL + " created with a paper account. Its API key is shown only once:");
        System.out.println("DEMO_API_KEY=" + key);
        System.out.println("Dashboard login at http://localhost:" + server.port() + "/ (API reference at /docs): "
                + DEMO_EMAIL + " / DEMO_PASSWORD=" + password);
        System.out.println("Send an alert:");
        System.out.println("curl -s -X POST '" + url + "' -H 'Authorization: Bearer " + key + "' "
                + "-H 'Content-Type: application/json' "
                + "-d '{\"version\":\"unify.v1\",\"intent\":{\"action\":\"open\",\"side\":\"buy\",\"type\":\"market\","
                + "\"symbol\":\"EURUSD\",\"qty\":1,\"price\":1.0854}}'");
        System.out.println();
    }
}
