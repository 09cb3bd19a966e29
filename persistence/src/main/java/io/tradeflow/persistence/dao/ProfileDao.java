package io.tradeflow.persistence.dao;

import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.Optional;

/**
 * What the profile shows beyond {@link UserRow}: the user's name, the plan chosen at signup and
 * since when an emergency stop is on (kept by the projection); and the password change.
 */
public final class ProfileDao {
    private final Jdbi jdbi;

    public ProfileDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** {@code name} and {@code chosenPlan} are null when never given; {@code emergencyStopSince} while no stop is on. */
    public record Profile(String name, String chosenPlan, Instant emergencyStopSince) {
    }

    public Optional<Profile> find(long userId) {
        return jdbi.withHandle(h -> h.createQuery("select name, chosen_plan, emergency_stop_since from users where id = :id")
                .bind("id", userId)
                .map((rs, ctx) -> new Profile(rs.getString("name"), rs.getString("chosen_plan"),
                        SqlTime.instant(rs, "emergency_stop_since")))
                .findOne());
    }

    /** Sets the name and the chosen plan given at signup (either may be null). */
    public void setSignupDetails(long userId, String name, String chosenPlan) {
        jdbi.useHandle(h -> h.createUpdate("update users set name = :name, chosen_plan = :plan where id = :id")
                .bind("name", name)
                .bind("plan", chosenPlan)
                .bind("id", userId)
                .execute());
    }

    /** Access tokens issued before this are refused (null: none). */
    public Optional<Instant> sessionsValidAfter(long userId) {
        return jdbi.withHandle(h -> h.createQuery("select sessions_valid_after from users where id = :id")
                .bind("id", userId)
                .map((rs, ctx) -> Optional.ofNullable(SqlTime.instant(rs, "sessions_valid_after")))
                .findOne()
                .flatMap(o -> o));
    }

    public void setName(long userId, String name) {
        jdbi.useHandle(h -> h.createUpdate("update users set name = :name where id = :id")
                .bind("name", name)
                .bind("id", userId)
                .execute());
    }

    /**
     * Replaces the password hash, deletes every refresh token of the user and refuses access tokens
     * issued before {@code sessionsValidAfter}, in one transaction: no other session goes on.
     */
    public void changePassword(long userId, String passwordHash, Instant sessionsValidAfter) {
        jdbi.useTransaction(h -> {
            h.createUpdate("update users set password_hash = :hash, sessions_valid_after = :after where id = :id")
                    .bind("hash", passwordHash)
                    .bind("after", SqlTime.utc(sessionsValidAfter))
                    .bind("id", userId)
                    .execute();
            // Deleted, not revoked: a revoked token presented again reads as a stolen token replayed and ends
            // every session, the caller's new one too; a deleted one is merely unknown (401 to that session).
            h.createUpdate("delete from refresh_tokens where user_id = :id")
                    .bind("id", userId)
                    .execute();
        });
    }
}
