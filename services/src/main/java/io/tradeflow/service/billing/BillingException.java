package io.tradeflow.service.billing;

/** A billing request that cannot be served: the HTTP layer answers {@code status} with {@code code}. */
public final class BillingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String field;

    public BillingException(int status, String code, String field, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    static BillingException notConfigured() {
        return new BillingException(503, "BILLING_NOT_CONFIGURED", null,
                "billing is not configured: set " + String.join(" and ", io.tradeflow.config.BillingConfig.REQUIRED_SETTINGS)
                        + " (environment TRADEFLOW_BILLING_STRIPE_SECRET_KEY, TRADEFLOW_BILLING_STRIPE_WEBHOOK_SECRET)");
    }
}
