package io.tradeflow.http.api;

import io.tradeflow.persistence.dao.AccountDao;
import io.tradeflow.persistence.dao.AccountRow;

/** Loads an account only for its owner (or an admin): anyone else gets the same 404 as for no account. */
final class Ownership {
    private final AccountDao accounts;

    Ownership(AccountDao accounts) {
        this.accounts = accounts;
    }

    AccountRow account(long accountId, Caller caller) {
        return accounts.findLive(accountId)
                .filter(a -> caller.owns(a.userId()))
                .orElseThrow(() -> ApiException.notFound("account"));
    }

    /** For filters: an account id in a query must be the caller's too (field named for the 404). */
    Long optionalAccount(Long accountId, Caller caller) {
        if (accountId != null) {
            account(accountId, caller);
        }
        return accountId;
    }
}
