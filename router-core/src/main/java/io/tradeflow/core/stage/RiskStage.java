package io.tradeflow.core.stage;

import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.SizeMode;
import io.tradeflow.core.state.AccountState;
import io.tradeflow.core.state.RiskRules;
import io.tradeflow.core.state.RouterState;

/**
 * Applies the account's risk rules. The per-key rate limit counts every authenticated request;
 * the other rules guard orders that add exposure. A refusal names the rule in {@code field}.
 */
public final class RiskStage {
    public static final String RULE_EMERGENCY_STOP = "emergency_stop";
    public static final String RULE_MAX_QUANTITY = "max_quantity";
    public static final String RULE_ALLOWED_SYMBOLS = "allowed_symbols";
    public static final String RULE_TRADING_HOURS = "trading_hours";
    public static final String RULE_MAX_DAILY_LOSS = "max_daily_loss";
    public static final String RULE_MAX_OPEN_POSITIONS = "max_open_positions";

    private final RouterState state;

    public RiskStage(RouterState state) {
        this.state = state;
    }

    public void onIntent(RingEvent e) {
        if (e.isDecided()) {
            return;
        }
        AccountState account = state.account(e.accountId);
        RiskRules rules = account.rules();
        RiskLimits limits = rules.limits();
        long now = e.receivedAtMillis;

        if (state.countRequest(account, now) > limits.rateLimitPerWindow()) {
            e.reject(Outcome.RATE_LIMITED, null, "too many alerts for this API key; slow down");
            e.retryAfterSeconds = (int) Math.max(1, (account.rateWindowEnd(rules.rateWindowMillis()) - now + 999) / 1000);
            return;
        }
        if (!e.action.isEntry()) {
            return;
        }
        if (account.user().emergencyStop()) {
            reject(e, RULE_EMERGENCY_STOP, "emergency stop is active: new entries are blocked until it is reset");
        } else if (e.sizeMode == SizeMode.QTY && e.quantity > limits.maxQuantity()) {
            reject(e, RULE_MAX_QUANTITY, "quantity exceeds the account's max quantity");
        } else if (!rules.symbolAllowed(e.symbol) && !rules.symbolAllowed(e.ticker)) {
            reject(e, RULE_ALLOWED_SYMBOLS, "symbol is not in the account's allowed symbols");
        } else if (!rules.withinTradingHours(now)) {
            reject(e, RULE_TRADING_HOURS, "outside the account's trading hours");
        } else if (limits.maxDailyLoss() > 0
                && account.realizedPnlOn(rules.tradingDay(now)) <= -limits.maxDailyLoss()) {
            reject(e, RULE_MAX_DAILY_LOSS, "the account's max daily loss is reached");
        } else if (account.openPositions() >= limits.maxOpenPositions() && opensNewPosition(e)) {
            reject(e, RULE_MAX_OPEN_POSITIONS, "the account's max open positions is reached");
        }
    }

    private boolean opensNewPosition(RingEvent e) {
        int symbolId = state.symbols().intern(e.symbol);
        return state.positions().quantity(e.accountId, symbolId) == 0;
    }

    private static void reject(RingEvent e, String rule, String reason) {
        e.reject(Outcome.RISK_REJECTED, rule, reason);
    }
}
