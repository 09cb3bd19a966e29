package io.tradeflow.http.api;

import io.tradeflow.service.session.SessionService;
import io.tradeflow.service.security.PasswordHasher;
import io.tradeflow.service.security.TokenService;
import io.tradeflow.persistence.dao.UserRow;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Signup, login, refresh, logout and the profile. */
public final class AuthRoutes implements RouteSource {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final int MAX_EMAIL = 254;
    private static final int MAX_TOKEN = 200;

    /**
     * The cookie that carries the refresh token for the web dashboard: HttpOnly (no script reads it),
     * Secure, SameSite=Strict (never sent by another site's request) and scoped to the two routes
     * that take a refresh token. The JSON {@code refresh_token} stays for API clients.
     */
    public static final String REFRESH_COOKIE = "tf_refresh";
    private static final String COOKIE_PATH = DashboardApi.BASE + "/auth/";

    private final SessionService sessions;

    public AuthRoutes(SessionService sessions) {
        this.sessions = sessions;
    }

    @Override
    public List<Route> routes() {
        String base = DashboardApi.BASE;
        return List.of(
                new Route("POST", base + "/auth/signup", Access.PUBLIC, this::signUp),
                new Route("POST", base + "/auth/login", Access.PUBLIC, this::logIn),
                new Route("POST", base + "/auth/refresh", Access.PUBLIC, this::refresh),
                new Route("POST", base + "/auth/logout", Access.PUBLIC, this::logOut),
                new Route("GET", base + "/user/profile", Access.USER, this::profile));
    }

    private ApiResponse signUp(ApiRequest request, Caller caller) {
        JsonBody body = request.body().allowOnly(Set.of("email", "password"));
        String email = email(body);
        String password = password(body);
        if (!PasswordHasher.acceptableLength(password)) {
            throw ApiException.invalid("password", "password must be " + PasswordHasher.MIN_PASSWORD_LENGTH
                    + " to " + PasswordHasher.MAX_PASSWORD_BYTES + " bytes long");
        }
        SessionService.Session session = sessions.signUp(email, password)
                .orElseThrow(() -> ApiException.conflict("EMAIL_TAKEN", "email", "this email is already registered"));
        return withCookie(ApiResponse.created(session(session)), session.refreshToken());
    }

    private ApiResponse logIn(ApiRequest request, Caller caller) {
        JsonBody body = request.body().allowOnly(Set.of("email", "password"));
        String email = email(body);
        String password = password(body);
        SessionService.LoginResult result = sessions.logIn(email, password, request.clientAddress());
        if (result.refusal() == SessionService.LoginRefusal.THROTTLED) {
            throw new ApiException(429, "TOO_MANY_ATTEMPTS", null, "too many login attempts; try again later");
        }
        if (result.refusal() != null) {
            throw new ApiException(401, "INVALID_CREDENTIALS", null, "invalid email or password");
        }
        return withCookie(ApiResponse.ok(session(result.session())), result.session().refreshToken());
    }

    private ApiResponse refresh(ApiRequest request, Caller caller) {
        String token = refreshToken(request);
        return sessions.refresh(token).map(s -> withCookie(ApiResponse.ok(session(s)), s.refreshToken())).orElseThrow(() ->
                new ApiException(401, "INVALID_REFRESH_TOKEN", "refresh_token", "the refresh token is invalid, expired or used"));
    }

    private ApiResponse logOut(ApiRequest request, Caller caller) {
        String token = refreshToken(request);
        boolean ended = sessions.logOut(token);
        return ApiResponse.ok(Json.obj("success", true, "session_ended", ended))
                .withHeader("Set-Cookie", REFRESH_COOKIE + "=; Path=" + COOKIE_PATH + "; Max-Age=0; HttpOnly; Secure; SameSite=Strict");
    }

    /** The body's {@code refresh_token} (API clients), else the dashboard's cookie; neither is a 400 naming the field. */
    private static String refreshToken(ApiRequest request) {
        JsonBody body = request.body().allowOnly(Set.of("refresh_token"));
        if (!body.has("refresh_token") && request.refreshCookie() != null && !request.refreshCookie().isEmpty()
                && request.refreshCookie().length() <= MAX_TOKEN) {
            return request.refreshCookie();
        }
        return body.text("refresh_token", MAX_TOKEN);
    }

    private static ApiResponse withCookie(ApiResponse response, String refreshToken) {
        return response.withHeader("Set-Cookie", REFRESH_COOKIE + "=" + refreshToken + "; Path=" + COOKIE_PATH
                + "; Max-Age=" + TokenService.REFRESH_TTL.toSeconds() + "; HttpOnly; Secure; SameSite=Strict");
    }

    private ApiResponse profile(ApiRequest request, Caller caller) {
        UserRow user = sessions.user(caller.userId()).orElseThrow(() -> ApiException.notFound("user"));
        Map<String, Object> profile = user(user);
        profile.put("trades_count", user.tradesCount());
        profile.put("emergency_stop", user.emergencyStop());
        profile.put("created_at", user.createdAt().toString());
        if (caller.impersonatedBy() != 0) {
            profile.put("impersonated_by", caller.impersonatedBy());
        }
        return ApiResponse.ok(profile);
    }

    private static String email(JsonBody body) {
        String email = body.text("email", MAX_EMAIL).toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(email).matches()) {
            throw ApiException.invalid("email", "email is not a valid address");
        }
        return email;
    }

    private static String password(JsonBody body) {
        if (!body.has("password")) {
            throw ApiException.invalid("password", "password is required");
        }
        String password = body.optionalTextAllowEmpty("password", 1024);
        if (password.isEmpty()) {
            throw ApiException.invalid("password", "password must not be empty");
        }
        return password;
    }

    static Map<String, Object> user(UserRow user) {
        return Json.obj("id", user.id(), "email", user.email(), "role", user.role().dbName(), "plan", user.plan().dbName());
    }

    private static Map<String, Object> session(SessionService.Session session) {
        return Json.obj("user", user(session.user()),
                "access_token", session.accessToken(),
                "token_type", "Bearer",
                "expires_in", TokenService.ACCESS_TTL.toSeconds(),
                "refresh_token", session.refreshToken());
    }
}
