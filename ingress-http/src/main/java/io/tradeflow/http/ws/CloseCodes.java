package io.tradeflow.http.ws;

/**
 * Close codes of the live stream (RFC 6455 leaves 4000-4999 to applications). Each close frame
 * carries a reason in words as well; README "Live stream" lists them.
 */
public final class CloseCodes {
    /** The server is stopping (RFC 6455 "going away"). */
    public static final int GOING_AWAY = 1001;
    /** Authentication is busy; connect again a little later (RFC 6455 "try again later"). */
    public static final int TRY_AGAIN_LATER = 1013;
    /** The first message was not {@code {"token": "..."}} or a message was not JSON. */
    public static final int BAD_MESSAGE = 4400;
    /**
     * The token is invalid, expired, or its session ended; also closes an open stream when the user is suspended
     * (at once, from the ring) or the session ends (checked every {@link LiveSettings#sessionRecheck()}).
     */
    public static final int UNAUTHORIZED = 4401;
    /** No such account, or not the caller's: the same answer, as a REST 404. */
    public static final int NOT_FOUND = 4404;
    /** No token within the authentication timeout (10 s). */
    public static final int AUTH_TIMEOUT = 4408;
    /** The client read too slowly: its buffer of unsent messages filled up. Reconnect with since. */
    public static final int TOO_SLOW = 4008;
    /** No frame from the client (not even a pong) for too long. */
    public static final int IDLE = 4000;

    private CloseCodes() {
    }
}
