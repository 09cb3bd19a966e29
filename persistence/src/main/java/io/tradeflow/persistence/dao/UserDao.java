package io.tradeflow.persistence.dao;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Users of the dashboard. Trade counts and the emergency stop are kept by the projection. */
public final class UserDao {
    private static final String COLUMNS =
            "id, email, password_hash, role, plan, trades_count, emergency_stop, created_at";
    private static final RowMapper<UserRow> ROW = (rs, ctx) -> new UserRow(
            rs.getLong("id"),
            rs.getString("email"),
            rs.getString("password_hash"),
            Role.fromDbName(rs.getString("role")),
            Plan.fromDbName(rs.getString("plan")),
            rs.getInt("trades_count"),
            rs.getBoolean("emergency_stop"),
            SqlTime.instant(rs, "created_at"));

    private final Jdbi jdbi;

    public UserDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Creates a user with role {@code user}; returns its id, or empty when the email is already
     * registered (so signup can answer a conflict without catching exceptions).
     */
    public OptionalLong create(String email, String passwordHash, Plan plan, Instant createdAt) {
        Optional<Long> id = jdbi.withHandle(h -> h.createQuery(
                        "insert into users (email, password_hash, plan, created_at) values (:email, :hash, :plan, :at)"
                                + " on conflict (email) do nothing returning id")
                .bind("email", email)
                .bind("hash", passwordHash)
                .bind("plan", plan.dbName())
                .bind("at", SqlTime.utc(createdAt))
                .mapTo(Long.class)
                .findOne());
        return id.map(OptionalLong::of).orElseGet(OptionalLong::empty);
    }

    public Optional<UserRow> findByEmail(String email) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from users where email = :email")
                .bind("email", email)
                .map(ROW)
                .findOne());
    }

    /** Users a page at a time, oldest first (admin view). */
    public List<UserRow> list(int limit, int offset) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from users order by id"
                        + " limit :limit offset :offset")
                .bind("limit", limit)
                .bind("offset", offset)
                .map(ROW)
                .list());
    }

    public long count() {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from users").mapTo(Long.class).one());
    }

    public void setRole(long id, Role role) {
        jdbi.useHandle(h -> h.createUpdate("update users set role = :role where id = :id")
                .bind("role", role.dbName())
                .bind("id", id)
                .execute());
    }

    public Optional<UserRow> findById(long id) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from users where id = :id")
                .bind("id", id)
                .map(ROW)
                .findOne());
    }
}
