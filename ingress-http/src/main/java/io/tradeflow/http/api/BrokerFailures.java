package io.tradeflow.http.api;

import io.tradeflow.broker.api.BrokerException;
import io.tradeflow.core.event.BrokerKind;

/**
 * How a broker's failure reads on the dashboard. What the user can fix (credentials the broker
 * refused) is a 422 on {@code credentials}; a broker that is down, slow or not connected is a
 * 502/503 on {@code broker}, which says "try again later", never a 500.
 */
final class BrokerFailures {
    private BrokerFailures() {
    }

    /** The broker refused or could not check the credentials of a registration. */
    static ApiException login(BrokerKind broker, BrokerException e) {
        return switch (e.kind()) {
            case AUTH, REJECTED -> new ApiException(422, "CREDENTIALS_REFUSED", "credentials",
                    broker.wireName() + " refused the credentials: " + e.getMessage());
            default -> unreachable(broker, e);
        };
    }

    /** A call for a connected account (sync) failed. */
    static ApiException call(BrokerKind broker, BrokerException e) {
        return switch (e.kind()) {
            case AUTH -> new ApiException(502, "BROKER_AUTH_FAILED", "broker", broker.wireName()
                    + " no longer accepts the stored credentials (" + e.getMessage() + "): register the account again");
            case REJECTED -> new ApiException(502, "BROKER_ERROR", "broker", e.getMessage());
            default -> unreachable(broker, e);
        };
    }

    /** The account has no broker session: no stored credentials, a failed login on start, or its circuit open. */
    static ApiException notConnected(BrokerKind broker) {
        return new ApiException(503, "BROKER_NOT_CONNECTED", "broker", "the account is not connected to "
                + broker.wireName() + " (its login failed, or the broker failed repeatedly): try again later");
    }

    private static ApiException unreachable(BrokerKind broker, BrokerException e) {
        if (e.kind() == BrokerException.Kind.RATE_LIMITED) {
            return new ApiException(503, "BROKER_RATE_LIMITED", "broker",
                    broker.wireName() + " asks to slow down: try again in a moment");
        }
        return new ApiException(502, "BROKER_UNREACHABLE", "broker",
                broker.wireName() + " could not be reached: " + e.getMessage());
    }
}
