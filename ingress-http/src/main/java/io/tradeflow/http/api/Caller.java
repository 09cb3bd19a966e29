package io.tradeflow.http.api;

/**
 * The authenticated user behind a request. {@code impersonatedBy} is the admin's id when an admin
 * acts as this user through a short-lived impersonation token, else 0. {@code twoFactor}: the session
 * was opened with a second factor (admins need it for their powers).
 */
public record Caller(long userId, boolean admin, long impersonatedBy, boolean twoFactor) {
    /** A caller whose session did not pass a second factor. */
    public Caller(long userId, boolean admin, long impersonatedBy) {
        this(userId, admin, impersonatedBy, false);
    }

    /** Whether the caller may see the resource owned by {@code ownerId}. */
    public boolean owns(long ownerId) {
        return admin || ownerId == userId;
    }
}
