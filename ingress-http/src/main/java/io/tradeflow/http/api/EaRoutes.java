package io.tradeflow.http.api;

import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.persistence.dao.AccountDao;
import io.tradeflow.persistence.dao.AccountRow;
import io.tradeflow.service.account.EaControl;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * EA start/stop (seed 003): a MetaTrader account's EA runs or is stopped by its user. Stopped, the
 * router sends the account no order (alerts and copies are refused naming it) and the EA gets
 * {@code ea_state: stopped} on every poll and executes nothing.
 */
public final class EaRoutes implements RouteSource {
    private final EaControl control;
    private final Ownership ownership;

    public EaRoutes(EaControl control, AccountDao accounts) {
        this.control = control;
        this.ownership = new Ownership(accounts);
    }

    @Override
    public List<Route> routes() {
        String base = DashboardApi.BASE + "/api/accounts/{id}/ea";
        return List.of(
                new Route("GET", base, Access.USER, (r, c) -> ApiResponse.ok(view(account(r, c).id(), null))),
                new Route("POST", base + "/start", Access.USER, (r, c) -> ApiResponse.ok(view(account(r, c).id(), true))),
                new Route("POST", base + "/stop", Access.USER, (r, c) -> ApiResponse.ok(view(account(r, c).id(), false))));
    }

    private AccountRow account(ApiRequest request, Caller caller) {
        AccountRow account = ownership.account(request.pathId("id"), caller);
        if (account.broker() != BrokerKind.MTX) {
            throw ApiException.conflict("NOT_METATRADER", "id", "only MetaTrader accounts run an EA");
        }
        return account;
    }

    private Map<String, Object> view(long accountId, Boolean run) {
        EaControl.EaStatus status = run == null ? control.status(accountId) : control.run(accountId, run);
        return Json.obj("account_id", accountId, "ea_state", status.running() ? "running" : "stopped",
                "connected", status.connected(),
                "last_heartbeat", status.lastHeartbeatMillis() == 0 ? null : Instant.ofEpochMilli(status.lastHeartbeatMillis()));
    }
}
