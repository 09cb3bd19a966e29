package io.tradeflow.http.api;

import io.tradeflow.persistence.dao.AccountDao;
import io.tradeflow.persistence.dao.AccountRow;

import java.util.List;
import java.util.Map;

/**
 * The webhook templates of an account (the product documents' "Webhook Templates" screen): the
 * webhook URL and a ready TradingView alert message in each of the three alert languages, for a
 * market entry, an exit and a reversal. The API key is stored only as a hash, so it appears as the
 * placeholder {@link #KEY_PLACEHOLDER} for the user to replace with the key they saved.
 */
public final class TemplateRoutes implements RouteSource {
    /** Where the user puts their API key (in the URL's {@code key=}, or first in a PineConnector line). */
    public static final String KEY_PLACEHOLDER = "<YOUR_API_KEY>";

    private final Ownership ownership;

    public TemplateRoutes(AccountDao accounts) {
        this.ownership = new Ownership(accounts);
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route("GET", DashboardApi.BASE + "/api/accounts/{id}/templates", Access.USER, this::templates));
    }

    private ApiResponse templates(ApiRequest request, Caller caller) {
        AccountRow account = ownership.account(request.pathId("id"), caller);
        String webhook = request.baseUrl() + DashboardApi.BASE + "/webhook";
        String withKey = webhook + "?key=" + KEY_PLACEHOLDER;
        return ApiResponse.ok(Json.obj(
                "account_id", account.id(),
                "broker", account.broker().wireName(),
                "api_key_placeholder", KEY_PLACEHOLDER,
                "webhook_url", withKey,
                "note", "replace " + KEY_PLACEHOLDER + " with the API key shown when the account was registered"
                        + " (or regenerate one); TradingView fills the {{…}} placeholders",
                "templates", List.of(
                        template("unify.v1", "TradeFlow's native JSON", withKey,
                                unify("entry", "\"action\":\"open\",\"side\":\"{{strategy.order.action}}\",\"type\":\"market\","
                                        + "\"symbol\":\"{{ticker}}\",\"qty\":\"{{strategy.order.contracts}}\",\"price\":\"{{close}}\""),
                                unify("exit", "\"action\":\"close\",\"symbol\":\"{{ticker}}\",\"price\":\"{{close}}\""),
                                unify("reverse", "\"action\":\"reverse\",\"side\":\"{{strategy.order.action}}\",\"type\":\"market\","
                                        + "\"symbol\":\"{{ticker}}\",\"qty\":\"{{strategy.order.contracts}}\",\"price\":\"{{close}}\"")),
                        template("traderspost", "TradersPost-style JSON", withKey,
                                "{\"ticker\":\"{{ticker}}\",\"action\":\"{{strategy.order.action}}\","
                                        + "\"quantity\":\"{{strategy.order.contracts}}\",\"price\":\"{{close}}\",\"time\":\"{{timenow}}\"}",
                                "{\"ticker\":\"{{ticker}}\",\"action\":\"exit\",\"price\":\"{{close}}\",\"time\":\"{{timenow}}\"}",
                                // A buy while short (a sell while long) exits first, then opens the other way.
                                "{\"ticker\":\"{{ticker}}\",\"action\":\"{{strategy.order.action}}\",\"sentiment\":"
                                        + "\"{{strategy.market_position}}\",\"quantity\":\"{{strategy.order.contracts}}\","
                                        + "\"price\":\"{{close}}\",\"time\":\"{{timenow}}\"}"),
                        template("pineconnector", "PineConnector-style text (the key is the first field)", webhook,
                                KEY_PLACEHOLDER + ",{{strategy.order.action}},{{ticker}},risk={{strategy.order.contracts}},price={{close}}",
                                KEY_PLACEHOLDER + ",closelongshort,{{ticker}},price={{close}}",
                                // PineConnector has no reverse command: an entry against a position exits it first.
                                KEY_PLACEHOLDER + ",{{strategy.order.action}},{{ticker}},risk={{strategy.order.contracts}},price={{close}}"))));
    }

    private static String unify(String kind, String intent) {
        return "{\"version\":\"unify.v1\",\"id\":\"{{ticker}}-" + kind + "-{{timenow}}\",\"ts\":\"{{timenow}}\","
                + "\"intent\":{" + intent + "}}";
    }

    private static Map<String, Object> template(String language, String description, String webhookUrl, String entry,
                                                String exit, String reverse) {
        return Json.obj(
                "language", language,
                "description", description,
                "webhook_url", webhookUrl,
                "content_type", language.equals("pineconnector") ? "text/plain" : "application/json",
                "messages", Json.obj("entry", entry, "exit", exit, "reverse", reverse));
    }
}
