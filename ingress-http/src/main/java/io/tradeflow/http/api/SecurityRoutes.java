package io.tradeflow.http.api;

import io.tradeflow.service.mail.MailSender;
import io.tradeflow.service.security.PasswordHasher;
import io.tradeflow.service.session.AccountSecurityService;
import io.tradeflow.service.session.SessionService;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Account security routes: forgot and reset password, email verification, the second step of a
 * two-factor login, and enrolment of a second factor (an authenticator app with a QR code, or codes
 * by email) with recovery codes. Forgot-password answers the same whether or not the address has an
 * account.
 */
public final class SecurityRoutes implements RouteSource {
    private static final int MAX_TOKEN = 200;
    private static final int MAX_CODE = 32;

    private final SessionService sessions;
    private final AccountSecurityService security;

    public SecurityRoutes(SessionService sessions, AccountSecurityService security) {
        this.sessions = sessions;
        this.security = security;
    }

    @Override
    public List<Route> routes() {
        String base = DashboardApi.BASE + "/auth";
        return List.of(
                new Route("POST", base + "/forgot_password", Access.PUBLIC, this::forgotPassword),
                new Route("POST", base + "/reset_password", Access.PUBLIC, this::resetPassword),
                new Route("POST", base + "/verify_email", Access.PUBLIC, this::verifyEmail),
                new Route("POST", base + "/verify_email/resend", Access.USER, this::resendVerification),
                new Route("POST", base + "/login/verify", Access.PUBLIC, this::loginVerify),
                new Route("GET", base + "/2fa", Access.USER, this::status),
                new Route("POST", base + "/2fa/totp/setup", Access.USER, this::totpSetup),
                new Route("POST", base + "/2fa/totp/confirm", Access.USER, this::totpConfirm),
                new Route("POST", base + "/2fa/email/enable", Access.USER, this::emailEnable),
                new Route("POST", base + "/2fa/disable", Access.USER, this::disable));
    }

    private ApiResponse forgotPassword(ApiRequest request, Caller caller) {
        String email = AuthRoutes.email(request.body().allowOnly(Set.of("email")));
        try {
            security.requestPasswordReset(email);
        } catch (MailSender.MailDisabledException e) {
            throw mailDisabled("password reset by email");
        }
        return new ApiResponse(202, Json.obj("success", true,
                "message", "if an account uses this address, a reset link is on its way"), null, null);
    }

    private ApiResponse resetPassword(ApiRequest request, Caller caller) {
        JsonBody body = request.body().allowOnly(Set.of("token", "new_password"));
        String token = body.text("token", MAX_TOKEN);
        String password = body.optionalTextAllowEmpty("new_password", 1024);
        if (password == null || password.isEmpty()) {
            throw ApiException.invalid("new_password", "new_password is required");
        }
        String problem = PasswordHasher.strengthProblem(password);
        if (problem != null) {
            throw ApiException.invalid("new_password", "new_password " + problem);
        }
        if (security.resetPassword(token, password).isEmpty()) {
            throw ApiException.invalid("token", "the reset link is invalid, expired or already used; ask for a new one");
        }
        return ApiResponse.ok(Json.obj("success", true,
                "message", "password changed; every session has been signed out, sign in with the new password"));
    }

    private ApiResponse verifyEmail(ApiRequest request, Caller caller) {
        String token = request.body().allowOnly(Set.of("token")).text("token", MAX_TOKEN);
        if (!security.verifyEmail(token)) {
            throw ApiException.invalid("token", "the verification link is invalid, expired or already used");
        }
        return ApiResponse.ok(Json.obj("success", true, "email_verified", true));
    }

    private ApiResponse resendVerification(ApiRequest request, Caller caller) {
        request.body().allowOnly(Set.of());
        if (security.status(caller.userId()).emailVerified()) {
            throw ApiException.conflict("ALREADY_VERIFIED", null, "this email address is already verified");
        }
        if (!security.sendVerification(caller.userId())) {
            throw mailDisabled("email verification");
        }
        return new ApiResponse(202, Json.obj("success", true, "message", "a verification link is on its way"), null, null);
    }

    private ApiResponse loginVerify(ApiRequest request, Caller caller) {
        JsonBody body = request.body().allowOnly(Set.of("challenge_token", "code", "recovery_code"));
        String token = body.text("challenge_token", MAX_TOKEN);
        String code = body.optionalText("code", MAX_CODE);
        String recovery = body.optionalText("recovery_code", MAX_CODE);
        if ((code == null) == (recovery == null)) {
            throw ApiException.invalid("code", "send code (from the authenticator or the email) or recovery_code, one of them");
        }
        AccountSecurityService.ChallengeResult result = security.completeChallenge(token, code, recovery);
        if (result.refusal() == AccountSecurityService.ChallengeRefusal.INVALID_CHALLENGE) {
            throw new ApiException(401, "INVALID_CHALLENGE", "challenge_token",
                    "the sign-in challenge is invalid, expired, used or had too many wrong codes; sign in again");
        }
        if (result.refusal() != null) {
            throw new ApiException(401, "WRONG_CODE", recovery == null ? "code" : "recovery_code", "the code is wrong or already used");
        }
        SessionService.Session session = sessions.completeLogin(result.userId());
        return AuthRoutes.withCookie(ApiResponse.ok(AuthRoutes.session(session, sessions.tokens())), session.refreshToken(),
                sessions.tokens());
    }

    private ApiResponse status(ApiRequest request, Caller caller) {
        AccountSecurityService.Status s = security.status(caller.userId());
        return ApiResponse.ok(Json.obj("two_factor_enabled", s.totp() || s.emailOtp(), "totp", s.totp(),
                "email_otp", s.emailOtp(), "totp_pending", security.totpPending(caller.userId()),
                "recovery_codes_left", s.recoveryCodesLeft(), "email_verified", s.emailVerified(),
                "mail_enabled", security.mailEnabled()));
    }

    private ApiResponse totpSetup(ApiRequest request, Caller caller) {
        request.body().allowOnly(Set.of());
        notImpersonated(caller);
        if (security.status(caller.userId()).totp()) {
            throw ApiException.conflict("TOTP_ALREADY_ENABLED", null,
                    "an authenticator is already enrolled; disable two-factor first to enrol another");
        }
        AccountSecurityService.TotpSetup setup = security.setUpTotp(caller.userId());
        return ApiResponse.ok(Json.obj("secret", setup.secret(), "otpauth_uri", setup.otpauthUri(), "qr_svg", setup.qrSvg()));
    }

    private ApiResponse totpConfirm(ApiRequest request, Caller caller) {
        String code = request.body().allowOnly(Set.of("code")).text("code", MAX_CODE);
        notImpersonated(caller);
        if (!security.totpPending(caller.userId())) {
            throw ApiException.conflict("NO_PENDING_TOTP", null, "nothing to confirm: start with POST /auth/2fa/totp/setup");
        }
        List<String> codes = security.confirmTotp(caller.userId(), code)
                .orElseThrow(() -> ApiException.invalid("code", "the code does not match the authenticator; check the phone's clock"));
        return enrolled(caller, codes);
    }

    private ApiResponse emailEnable(ApiRequest request, Caller caller) {
        request.body().allowOnly(Set.of());
        notImpersonated(caller);
        if (!security.mailEnabled()) {
            throw mailDisabled("codes by email");
        }
        AccountSecurityService.Status s = security.status(caller.userId());
        if (!s.emailVerified()) {
            throw ApiException.conflict("EMAIL_NOT_VERIFIED", null, "verify the email address first (POST /auth/verify_email/resend)");
        }
        if (s.totp() || s.emailOtp()) {
            throw ApiException.conflict("TWO_FACTOR_ALREADY_ENABLED", null, "two-factor authentication is already on");
        }
        return enrolled(caller, security.enableEmailOtp(caller.userId()));
    }

    /** Recovery codes (shown this once) and a new two-factor session, since the caller just proved the factor. */
    private ApiResponse enrolled(Caller caller, List<String> codes) {
        SessionService.Session session = sessions.completeLogin(caller.userId());
        Map<String, Object> answer = AuthRoutes.session(session, sessions.tokens());
        answer.put("success", true);
        answer.put("recovery_codes", codes);
        answer.put("message", "two-factor authentication is on; keep the recovery codes somewhere safe, they are shown once");
        return AuthRoutes.withCookie(ApiResponse.ok(answer), session.refreshToken(), sessions.tokens());
    }

    private ApiResponse disable(ApiRequest request, Caller caller) {
        JsonBody body = request.body().allowOnly(Set.of("password"));
        notImpersonated(caller);
        String password = body.optionalTextAllowEmpty("password", 1024);
        if (password == null || password.isEmpty()) {
            throw ApiException.invalid("password", "password is required");
        }
        if (!security.disableTwoFactor(caller.userId(), password)) {
            throw ApiException.invalid("password", "password is not the current password");
        }
        return ApiResponse.ok(Json.obj("success", true, "two_factor_enabled", false));
    }

    private static void notImpersonated(Caller caller) {
        if (caller.impersonatedBy() != 0) {
            throw ApiException.forbidden("an impersonation token cannot change the user's two-factor settings");
        }
    }

    private static ApiException mailDisabled(String feature) {
        return new ApiException(503, "MAIL_DISABLED", null,
                feature + " is unavailable: this server has no mail configured (mail.smtp.host)");
    }
}
