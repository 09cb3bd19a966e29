package io.tradeflow.persistence.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * Keeps {@code account_realized} at each account's realised total, in the batch's transaction, so
 * start-up reads one row per account instead of summing every order the account ever made.
 */
final class AccountRealizedWrites {
    private static final String UPSERT = "insert into account_realized (account_id, realized)"
            + " select * from unnest(?::bigint[], ?::float8[])"
            + " on conflict (account_id) do update set realized = excluded.realized";

    private AccountRealizedWrites() {
    }

    static void upsert(Connection c, Map<Long, Double> totals) throws SQLException {
        int n = totals.size();
        if (n == 0) {
            return;
        }
        long[] accountId = new long[n];
        double[] realized = new double[n];
        int k = 0;
        for (Map.Entry<Long, Double> t : totals.entrySet()) {
            accountId[k] = t.getKey();
            realized[k] = t.getValue();
            k++;
        }
        try (PreparedStatement statement = c.prepareStatement(UPSERT)) {
            statement.setObject(1, accountId);
            statement.setObject(2, realized);
            statement.executeUpdate();
        }
    }
}
