package io.tradeflow.persistence.dao;

import org.jdbi.v3.core.Jdbi;

import java.util.List;

/** Whether the user lets each MetaTrader account's EA trade ({@code broker_accounts.ea_running}). */
public final class EaRunStateDao {
    private final Jdbi jdbi;

    public EaRunStateDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void set(long accountId, boolean running) {
        jdbi.useHandle(h -> h.createUpdate("update broker_accounts set ea_running = :running where id = :id")
                .bind("running", running)
                .bind("id", accountId)
                .execute());
    }

    /** The accounts whose EA the user stopped. */
    public List<Long> stopped() {
        return jdbi.withHandle(h -> h.createQuery("select id from broker_accounts where not ea_running order by id")
                .mapTo(Long.class)
                .list());
    }
}
