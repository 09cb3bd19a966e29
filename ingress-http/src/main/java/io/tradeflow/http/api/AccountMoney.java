package io.tradeflow.http.api;

import io.tradeflow.broker.api.AccountSnapshot;
import io.tradeflow.config.InstrumentSpec;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.persistence.dao.AccountRow;
import io.tradeflow.persistence.dao.PositionDao;
import io.tradeflow.persistence.dao.PositionRow;
import io.tradeflow.service.account.AccountService;

import java.util.List;
import java.util.Map;

/**
 * What an account is worth and whether it trades, as the product documents' account views show it
 * ({@code balance}, {@code equity}, {@code status}). A paper account's balance is the starting
 * balance plus everything realised, its equity adds the open P&amp;L at the last prices; a real
 * broker's are what the broker last reported (null until it answered once).
 */
final class AccountMoney {
    private final AccountService service;
    private final PositionDao positions;
    private final Map<String, InstrumentSpec> instruments;
    private final double startingBalance;

    AccountMoney(AccountService service, PositionDao positions, Map<String, InstrumentSpec> instruments,
                 double startingBalance) {
        this.service = service;
        this.positions = positions;
        this.instruments = instruments;
        this.startingBalance = startingBalance;
    }

    double startingBalance() {
        return startingBalance;
    }

    /** quantity × (last − average) × point value; null when no price of the symbol is known yet. */
    Double unrealizedPnl(PositionRow p) {
        if (!(p.lastPrice() > 0)) {
            return null;
        }
        InstrumentSpec spec = instruments.get(p.symbol());
        return p.quantity() * (p.lastPrice() - p.averagePrice()) * (spec == null ? 1 : spec.pointValue());
    }

    /** Unrealised P&amp;L of the account's positions among {@code open} (positions without a price count 0). */
    double unrealized(long accountId, List<PositionRow> open) {
        double sum = 0;
        for (PositionRow p : open) {
            Double u = p.accountId() == accountId ? unrealizedPnl(p) : null;
            sum += u == null ? 0 : u;
        }
        return sum;
    }

    /**
     * {@code active} (switched on and reaching its broker), {@code disabled} (switched off) or
     * {@code disconnected} (on, but not logged in, its circuit open, or a MetaTrader EA not heard from).
     */
    String status(AccountRow account) {
        if (!account.enabled()) {
            return "disabled";
        }
        return service.isConnected(account) ? "active" : "disconnected";
    }

    /**
     * {@code balance}, {@code equity} and {@code currency} of the account (nulls when unknown);
     * {@code askBroker} asks a real broker now when it never reported (registration, the detail view).
     */
    Map<String, Object> money(AccountRow account, boolean askBroker) {
        if (account.broker() == BrokerKind.PAPER) {
            double realized = positions.realizedTotalsByUser(account.userId()).getOrDefault(account.id(), 0.0);
            double balance = startingBalance + realized;
            return Json.obj("balance", balance,
                    "equity", balance + unrealized(account.id(), positions.listOpenByAccount(account.id())),
                    "currency", null);
        }
        AccountSnapshot snapshot = service.brokerBalance(account.id(), askBroker).orElse(null);
        return Json.obj("balance", snapshot == null ? null : snapshot.balance(),
                "equity", snapshot == null ? null : snapshot.equity(),
                "currency", snapshot == null ? null : snapshot.currency());
    }
}
