package io.tradeflow.http.api;

/** Who may call a route. */
public enum Access {
    /** Anyone (signup, login, the OpenAPI document). */
    PUBLIC,
    /** A signed-in user (a valid access token). */
    USER,
    /** A signed-in admin. */
    ADMIN
}
