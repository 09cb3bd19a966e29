package io.tradeflow.persistence;

import io.tradeflow.persistence.dao.Plan;
import io.tradeflow.persistence.dao.UserDao;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A child JVM for {@code DatabaseLifecycleTest}: starts the embedded database the way the
 * application does ({@link Database#start}), writes a user, says READY and waits to be killed.
 * A SIGKILL runs no shutdown hook, so it leaves the server running, as a kill -9 of TradeFlow does.
 */
public final class LeftoverDatabase {
    private LeftoverDatabase() {
    }

    public static void main(String[] args) throws InterruptedException {
        Database db = TestDatabases.startEmbedded(Path.of(args[0]));
        new UserDao(db.jdbi()).create(args[1], null, Plan.PRO, Instant.now());
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
