package io.tradeflow.broker.projectx;

/** ProjectX's numeric codes (BROKERS.md), turned into words for refusal messages. */
final class ProjectXCodes {
    static final int TYPE_LIMIT = 1;
    static final int TYPE_MARKET = 2;
    static final int TYPE_STOP = 4;
    static final int SIDE_BUY = 0;
    static final int SIDE_SELL = 1;
    static final int STATUS_FILLED = 2;
    static final int POSITION_LONG = 1;

    private static final String[] LOGIN_ERRORS = {"Success", "UserNotFound", "PasswordVerificationFailed",
        "InvalidCredentials", "AppNotFound", "AppVerificationFailed", "InvalidDevice", "AgreementsNotSigned", "Unknown",
        "ApiSubscriptionNotFound", "ApiKeyAuthenticationDisabled"};
    private static final String[] PLACE_ERRORS = {"Success", "AccountNotFound", "OrderRejected", "InsufficientFunds",
        "AccountViolation", "OutsideTradingHours", "OrderPending", "Unknown", "ContractNotFound", "ContractNotActive",
        "AccountRejected"};
    private static final String[] STATUSES = {"none", "open", "filled", "cancelled", "expired", "rejected", "pending"};

    private ProjectXCodes() {
    }

    static String loginError(int code) {
        return name(LOGIN_ERRORS, code);
    }

    static String placeError(int code) {
        return name(PLACE_ERRORS, code);
    }

    static String status(int code) {
        return name(STATUSES, code).toLowerCase(java.util.Locale.ROOT);
    }

    private static String name(String[] names, int code) {
        return code >= 0 && code < names.length ? names[code] : "code " + code;
    }
}
