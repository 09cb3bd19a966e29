package io.tradeflow.persistence.dao;

import java.time.Instant;

/**
 * What the dashboard's list views filter on: always one user, optionally one account, a status
 * or outcome, a time window [from, to), and a page. Null means "any".
 */
public record DashboardFilter(long userId, Long accountId, String status, Instant from, Instant to, int limit,
                              int offset) {

    /** The SQL conditions for a table with {@code user_id}, {@code account_id} and a time column. */
    String where(String timeColumn, String statusColumn) {
        StringBuilder sql = new StringBuilder(" where user_id = :user");
        if (accountId != null) {
            sql.append(" and account_id = :account");
        }
        if (status != null) {
            sql.append(" and ").append(statusColumn).append(" = :status");
        }
        if (from != null) {
            sql.append(" and ").append(timeColumn).append(" >= :from");
        }
        if (to != null) {
            sql.append(" and ").append(timeColumn).append(" < :to");
        }
        return sql.toString();
    }

    <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bind(S statement) {
        statement.bind("user", userId);
        if (accountId != null) {
            statement.bind("account", accountId);
        }
        if (status != null) {
            statement.bind("status", status);
        }
        if (from != null) {
            statement.bind("from", SqlTime.utc(from));
        }
        if (to != null) {
            statement.bind("to", SqlTime.utc(to));
        }
        return statement.bind("limit", limit).bind("offset", offset);
    }
}
