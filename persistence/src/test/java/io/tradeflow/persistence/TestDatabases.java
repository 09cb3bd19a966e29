package io.tradeflow.persistence;

import io.tradeflow.config.DatabaseConfig;
import org.jdbi.v3.core.Jdbi;

import java.nio.file.Path;

/** Embedded databases for tests: one per test class, started in {@code @BeforeAll}. */
public final class TestDatabases {
    public static final DatabaseConfig EMBEDDED = new DatabaseConfig("", "", "", 2);

    private TestDatabases() {
    }

    public static Database startEmbedded(Path dataDir) {
        return Database.start(EMBEDDED, dataDir);
    }

    /** Empties the projected tables, so a test's fresh journal starts from index 0 again. */
    public static void resetProjection(Jdbi jdbi) {
        jdbi.useHandle(h -> {
            h.execute("truncate intents, orders, positions, daily_pnl, last_prices, account_realized");
            h.execute("update projection_state set last_index = 0");
        });
    }

    public static long count(Jdbi jdbi, String tableAndCondition) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from " + tableAndCondition)
                .mapTo(Long.class)
                .one());
    }

    public static long projectedIndex(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("select last_index from projection_state")
                .mapTo(Long.class)
                .one());
    }
}
