package io.tradeflow.core.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * A SHA-256 over what a journal replay promises to rebuild — order-id counter, accounts (switch,
 * risk limits, open-position count, the day's realised P&amp;L), users (plan, trades used,
 * emergency stop), API keys, open positions (with their stop loss, take profit and trailing
 * distance when set) and pending limit/stop orders — in a canonical order (by id and symbol name,
 * not by interned symbol id or hash-map order). Two states with the same digest route the same.
 * Rate-limit windows and last prices are left out: replay re-applies the effects of accepted
 * orders only, and those two also move on refused alerts.
 */
public final class RouterStateDigest {
    private RouterStateDigest() {
    }

    public static String of(RouterState state) {
        StringBuilder canonical = new StringBuilder(4096);
        canonical.append("lastOrderId=").append(state.lastOrderId()).append('\n');
        List<AccountState> accounts = new ArrayList<>();
        state.accounts().forEach(accounts::add);
        accounts.sort(Comparator.comparingLong(AccountState::accountId));
        for (AccountState a : accounts) {
            UserState u = a.user();
            canonical.append("account ").append(a.accountId()).append(" user ").append(u.userId())
                    .append(' ').append(a.broker()).append(" enabled=").append(a.enabled())
                    .append(" open=").append(a.openPositions())
                    .append(" limits=").append(a.rules().limits())
                    .append(" day=").append(a.tradingDay()).append(" pnl=").append(bits(a.dayRealizedPnl()))
                    .append(" signup=").append(u.signupAtMillis()).append(" trial=").append(u.onTrial())
                    .append(" trades=").append(u.tradesUsed()).append(" stop=").append(u.emergencyStop()).append('\n');
        }
        List<String> keys = new ArrayList<>();
        state.keys().forEach((hash, accountId) -> keys.add(HexFormat.of().formatHex(hash) + "=" + accountId));
        keys.sort(null);
        keys.forEach(k -> canonical.append("key ").append(k).append('\n'));
        List<String> positions = new ArrayList<>();
        state.positions().forEach(p -> {
            if (!p.isFlat()) {
                String protection = p.stopLoss() == 0 && p.takeProfit() == 0 && p.trailDistance() == 0 ? ""
                        : " sl " + bits(p.stopLoss()) + " tp " + bits(p.takeProfit()) + " trail " + bits(p.trailDistance());
                positions.add(p.accountId() + "/" + state.symbols().name(p.symbolId()) + " " + bits(p.quantity())
                        + " @ " + bits(p.averagePrice()) + protection);
            }
        });
        positions.sort(null);
        positions.forEach(p -> canonical.append("position ").append(p).append('\n'));
        for (PendingOrder o : state.pendingOrders().all()) {
            canonical.append("pending ").append(o.orderId()).append(' ').append(o.accountId()).append('/')
                    .append(state.symbols().name(o.symbolId())).append(' ').append(o.side()).append(' ')
                    .append(o.type()).append(' ').append(bits(o.price())).append(" x ").append(bits(o.lots())).append('\n');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** Exact: two doubles hash the same only if they are the same double. */
    private static String bits(double value) {
        return Long.toHexString(Double.doubleToLongBits(value == 0.0 ? 0.0 : value));
    }
}
