package io.tradeflow.core.stage;

import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.state.AccountState;
import io.tradeflow.core.state.RouterState;

/**
 * Finds the account behind the API-key hash and refuses unknown keys, alerts from addresses outside
 * the account's allowed sources, and disabled accounts.
 */
public final class AuthStage {
    private final RouterState state;

    public AuthStage(RouterState state) {
        this.state = state;
    }

    public void onIntent(RingEvent e) {
        AccountState account = e.keyPresent ? state.account(state.keys().accountFor(e.keyHash)) : null;
        if (account != null) {
            // Attribute even refused payloads to the account, so its webhook log shows them.
            e.accountId = account.accountId();
            e.userId = account.user().userId();
            if (!account.allowsSource(e.sourceAddress, e.sourceAddressLength)) {
                // Checked before anything the ingress decided: a sender outside the list learns
                // nothing about the payload's validity.
                e.reject(Outcome.SOURCE_NOT_ALLOWED, "source",
                        "the alert's source address is not in the account's allowed sources");
                return;
            }
        }
        if (e.isDecided()) {
            return;
        }
        if (!e.keyPresent) {
            e.reject(Outcome.UNAUTHORIZED, "api_key", "missing API key (Authorization: Bearer, ?key= or api_key)");
        } else if (account == null) {
            e.reject(Outcome.UNAUTHORIZED, "api_key", "invalid API key");
        } else if (e.requestedBroker != null && e.requestedBroker != account.broker()) {
            e.reject(Outcome.INVALID_PAYLOAD, "broker", "broker does not match the API key's account");
        } else if (!account.enabled()) {
            e.reject(Outcome.ACCOUNT_DISABLED, null, "account is disabled");
        }
    }
}
