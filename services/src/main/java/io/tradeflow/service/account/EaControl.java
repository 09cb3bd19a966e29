package io.tradeflow.service.account;

import io.tradeflow.broker.api.BrokerConnector;
import io.tradeflow.broker.gateway.BrokerConnectors;
import io.tradeflow.broker.mtx.MtxBridge;
import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.dao.EaRunStateDao;

/**
 * EA start/stop (seed 003): the user starts or stops a MetaTrader account's EA. The choice is
 * stored, applied to the account's bridge (which then refuses orders with a reason and tells the
 * EA {@code ea_state=stopped} on every poll) and restored at start-up.
 */
public final class EaControl {
    /** What the dashboard shows of an EA. */
    public record EaStatus(boolean running, boolean connected, long lastHeartbeatMillis) {
    }

    private final EaRunStateDao dao;
    private final BrokerConnectors brokers;

    public EaControl(Database database, BrokerConnectors brokers) {
        this.dao = new EaRunStateDao(database.jdbi());
        this.brokers = brokers;
    }

    /** Applies the stored stops; call before stored broker accounts are connected again. */
    public void restore() {
        dao.stopped().forEach(accountId -> brokers.eaRunning(accountId, false));
    }

    public EaStatus run(long accountId, boolean running) {
        dao.set(accountId, running);
        brokers.eaRunning(accountId, running);
        return status(accountId);
    }

    public EaStatus status(long accountId) {
        BrokerConnector connector = brokers.connector(accountId);
        if (connector instanceof MtxBridge bridge) {
            return new EaStatus(brokers.eaRunning(accountId), bridge.isConnected(), bridge.lastHeartbeatMillis());
        }
        return new EaStatus(brokers.eaRunning(accountId), false, 0);
    }
}
