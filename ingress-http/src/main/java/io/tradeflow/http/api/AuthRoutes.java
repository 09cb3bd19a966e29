package io.tradeflow.http.api;

import io.tradeflow.service.session.AccountSecurityService;
import io.tradeflow.service.session.SessionService;
import io.tradeflow.service.security.PasswordHasher;
import io.tradeflow.service.security.TokenService;
import io.tradeflow.persistence.dao.Plan;
import io.tradeflow.persistence.dao.ProfileDao;
import io.tradeflow.persistence.dao.UserRow;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Signup, login, refresh, logout, the profile and the password change. Signup takes the product
 * documents' fields too: {@code name} (the integration guide) or {@code full_name} (the copy-trading
 * control plane), and {@code plan}, the plan the user picked: everyone starts on the trial, and the
 * answer says whether checkout is needed for the chosen plan.
 */
public final class AuthRoutes implements RouteSource {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final int MAX_EMAIL = 254;
    private static final int MAX_TOKEN = 200;
    private static final int MAX_NAME = 100;
    /** Plans a user may pick at signup: the trial, and the paid plans of the documents (pro; starter, elite). */
    static final Set<String> PLANS = Set.of("trial", "starter", "pro", "elite");
    private static final Set<String> SIGNUP_FIELDS = Set.of("email", "password", "name", "full_name", "plan");

    /**
     * The cookie that carries the refresh token for the web dashboard: HttpOnly (no script reads it),
     * Secure, SameSite=Strict (never sent by another site's request) and scoped to the two routes
     * that take a refresh token. The JSON {@code refresh_token} stays for API clients.
     */
    public static final String REFRESH_COOKIE = "tf_refresh";
    private static final String COOKIE_PATH = DashboardApi.BASE + "/auth/";

    private final SessionService sessions;
    private final AccountSecurityService security;

    public AuthRoutes(SessionService sessions) {
        this(sessions, null);
    }

    /** With {@code security} (may be null): email verification on signup, two-step logins, the profile's security fields. */
    public AuthRoutes(SessionService sessions, AccountSecurityService security) {
        this.sessions = sessions;
        this.security = security;
    }

    @Override
    public List<Route> routes() {
        String base = DashboardApi.BASE;
        return List.of(
                new Route("POST", base + "/auth/signup", Access.PUBLIC, this::signUp),
                new Route("POST", base + "/auth/register", Access.PUBLIC, this::signUp),
                new Route("POST", base + "/auth/login", Access.PUBLIC, this::logIn),
                new Route("POST", base + "/auth/refresh", Access.PUBLIC, this::refresh),
                new Route("POST", base + "/auth/logout", Access.PUBLIC, this::logOut),
                new Route("GET", base + "/user/profile", Access.USER, this::profile),
                new Route("GET", base + "/auth/me", Access.USER, this::profile),
                new Route("PATCH", base + "/user/profile", Access.USER, this::updateProfile),
                new Route("POST", base + "/auth/change_password", Access.USER, this::changePassword));
    }

    private ApiResponse signUp(ApiRequest request, Caller caller) {
        JsonBody body = request.body().allowOnly(SIGNUP_FIELDS);
        String email = email(body);
        String password = password(body);
        acceptableNewPassword("password", password);
        String name = name(body);
        String plan = body.optionalText("plan", 32);
        if (plan != null) {
            plan = plan.toLowerCase(Locale.ROOT);
            if (!PLANS.contains(plan)) {
                throw ApiException.invalid("plan", "plan must be one of elite, pro, starter, trial");
            }
        }
        SessionService.Session session = sessions.signUp(email, password, name, plan)
                .orElseThrow(() -> ApiException.conflict("EMAIL_TAKEN", "email", "this email is already registered"));
        Map<String, Object> answer = session(session);
        answer.put("user", user(session.user(), name));
        if (security != null) {
            answer.put("email_verification_sent", security.sendVerification(session.user().id()));
        }
        String chosen = plan == null ? "trial" : plan;
        answer.put("chosen_plan", chosen);
        answer.put("checkout_required", !chosen.equals("trial"));
        answer.put("success", true);
        return withCookie(ApiResponse.created(answer), session.refreshToken());
    }

    /** {@code name} or {@code full_name} (not both), trimmed; null when neither is sent. */
    private static String name(JsonBody body) {
        if (body.has("name") && body.has("full_name")) {
            throw ApiException.invalid("full_name", "send name or full_name, not both");
        }
        return body.has("full_name") ? body.optionalText("full_name", MAX_NAME) : body.optionalText("name", MAX_NAME);
    }

    private static void acceptableNewPassword(String field, String password) {
        if (!PasswordHasher.acceptableLength(password)) {
            throw ApiException.invalid(field, field + " must be " + PasswordHasher.MIN_PASSWORD_LENGTH
                    + " to " + PasswordHasher.MAX_PASSWORD_BYTES + " bytes long");
        }
    }

    private ApiResponse logIn(ApiRequest request, Caller caller) {
        JsonBody body = request.body().allowOnly(Set.of("email", "password"));
        String email = email(body);
        String password = password(body);
        SessionService.LoginResult result = sessions.logIn(email, password, request.clientAddress());
        if (result.refusal() == SessionService.LoginRefusal.THROTTLED) {
            throw new ApiException(429, "TOO_MANY_ATTEMPTS", null, "too many login attempts; try again later");
        }
        if (result.refusal() == SessionService.LoginRefusal.SUSPENDED) {
            throw new ApiException(403, "USER_SUSPENDED", null, "this user is suspended; contact support");
        }
        if (result.refusal() != null) {
            throw new ApiException(401, "INVALID_CREDENTIALS", null, "invalid email or password");
        }
        if (result.challenge() != null) {
            // Password right, second factor on: no session yet, the code comes next (POST /auth/login/verify).
            return ApiResponse.ok(Json.obj("success", true, "two_factor_required", true,
                    "challenge_token", result.challenge().token(), "two_factor_method", result.challenge().method()));
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

    private ApiResponse withCookie(ApiResponse response, String refreshToken) {
        return withCookie(response, refreshToken, sessions.tokens());
    }

    static ApiResponse withCookie(ApiResponse response, String refreshToken, TokenService tokens) {
        return response.withHeader("Set-Cookie", REFRESH_COOKIE + "=" + refreshToken + "; Path=" + COOKIE_PATH
                + "; Max-Age=" + tokens.refreshTtl().toSeconds() + "; HttpOnly; Secure; SameSite=Strict");
    }

    private ApiResponse profile(ApiRequest request, Caller caller) {
        return ApiResponse.ok(profileOf(caller));
    }

    private Map<String, Object> profileOf(Caller caller) {
        UserRow user = sessions.user(caller.userId()).orElseThrow(() -> ApiException.notFound("user"));
        ProfileDao.Profile more = sessions.profile(caller.userId()).orElseThrow(() -> ApiException.notFound("user"));
        Map<String, Object> profile = user(user, more.name());
        profile.put("full_name", more.name());
        profile.put("trades_count", user.tradesCount());
        profile.put("emergency_stop", user.emergencyStop());
        // Whether new entries are refused because of the user's emergency stop, and since when (null when not).
        profile.put("entries_blocked", user.emergencyStop());
        profile.put("emergency_stop_since", user.emergencyStop() && more.emergencyStopSince() != null
                ? more.emergencyStopSince().toString() : null);
        String chosen = more.chosenPlan() == null ? user.plan().dbName() : more.chosenPlan();
        profile.put("chosen_plan", chosen);
        profile.put("checkout_required", user.plan() == Plan.TRIAL && !chosen.equals("trial"));
        profile.put("created_at", user.createdAt().toString());
        if (caller.impersonatedBy() != 0) {
            profile.put("impersonated_by", caller.impersonatedBy());
        }
        if (security != null) {
            AccountSecurityService.Status status = security.status(caller.userId());
            profile.put("email_verified", status.emailVerified());
            profile.put("last_login", status.lastLogin() == null ? null : status.lastLogin().toString());
            profile.put("two_factor_enabled", status.totp() || status.emailOtp());
        }
        return profile;
    }

    private ApiResponse updateProfile(ApiRequest request, Caller caller) {
        JsonBody body = request.body().allowOnly(Set.of("name", "full_name"));
        String name = name(body);
        if (name == null) {
            throw ApiException.invalid("name", "name is required");
        }
        sessions.rename(caller.userId(), name);
        return ApiResponse.ok(profileOf(caller));
    }

    private ApiResponse changePassword(ApiRequest request, Caller caller) {
        if (caller.impersonatedBy() != 0) {
            throw ApiException.forbidden("an impersonation token cannot change the user's password");
        }
        JsonBody body = request.body().allowOnly(Set.of("old_password", "new_password"));
        String oldPassword = requiredSecret(body, "old_password");
        String newPassword = requiredSecret(body, "new_password");
        acceptableNewPassword("new_password", newPassword);
        SessionService.LoginResult result = sessions.changePassword(caller.userId(), oldPassword, newPassword,
                request.clientAddress(), caller.twoFactor());
        if (result.refusal() == SessionService.LoginRefusal.THROTTLED) {
            throw new ApiException(429, "TOO_MANY_ATTEMPTS", null, "too many password attempts; try again later");
        }
        if (result.refusal() != null) {
            throw ApiException.invalid("old_password", "old_password is not the current password");
        }
        Map<String, Object> answer = session(result.session());
        answer.put("success", true);
        answer.put("message", "password changed; every other session has been signed out");
        return ApiResponse.ok(answer);
    }

    private static String requiredSecret(JsonBody body, String field) {
        String value = body.optionalTextAllowEmpty(field, 1024);
        if (value == null || value.isEmpty()) {
            throw ApiException.invalid(field, field + " is required");
        }
        return value;
    }

    static String email(JsonBody body) {
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

    private static Map<String, Object> user(UserRow user, String name) {
        Map<String, Object> json = user(user);
        json.put("name", name);
        json.put("created_at", user.createdAt().toString());
        return json;
    }

    private Map<String, Object> session(SessionService.Session session) {
        return session(session, sessions.tokens());
    }

    static Map<String, Object> session(SessionService.Session session, TokenService tokens) {
        return Json.obj("user", user(session.user()),
                "access_token", session.accessToken(),
                "token_type", "Bearer",
                "expires_in", tokens.accessTtl().toSeconds(),
                "refresh_token", session.refreshToken());
    }
}
