package io.tradeflow.http.api;

/**
 * The authenticated user behind a request. {@code impersonatedBy} is the admin's id when an admin
 * acts as this user through a short-lived impersonation token, else 0.
 */
public record Caller(long userId, boolean admin, long impersonatedBy) {
    /** Whether the caller may see the resource owned by {@code ownerId}. */
    public boolean owns(long ownerId) {
        return admin || ownerId == userId;
    }
}
