package io.tradeflow.core.stage;

import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.state.AccountState;
import io.tradeflow.core.state.IdempotencyIndex;
import io.tradeflow.core.state.RouterState;

/**
 * Answers a repeated idempotency key ({@code id} or {@code Idempotency-Key}) with the first answer
 * and places nothing; refuses the key with another body (422). Runs right after auth, so a repeat
 * is not counted against the rate limit or the trial.
 */
public final class IdempotencyStage {
    private final RouterState state;

    public IdempotencyStage(RouterState state) {
        this.state = state;
    }

    public void onIntent(RingEvent e) {
        if (e.isDecided() || e.clientId.isEmpty()) {
            return;
        }
        IdempotencyIndex.Answer first = state.idempotency().find(e.accountId, e.clientId, e.receivedAtMillis);
        if (first == null) {
            return;
        }
        if (first.bodyHash() != e.bodyHash) {
            e.reject(Outcome.IDEMPOTENCY_CONFLICT, "id",
                    "this idempotency key was already used with a different alert body");
            e.repeatOfIndex = first.journalIndex();
            return;
        }
        first.answer(e);
    }

    /** Remembers a journaled first answer (live, and again when the journal is replayed). */
    public void onJournaled(RingEvent e) {
        if (e.type != EventType.INTENT || e.clientId.isEmpty() || e.repeatOfIndex != 0 || e.accountId == 0
                || !IdempotencyIndex.remembers(e.outcome)) {
            return;
        }
        AccountState account = state.account(e.accountId);
        if (account != null) {
            long window = account.alertRules().idempotencyWindowMillis();
            AccountState master = e.isCopy() ? state.account(e.copyMasterAccountId) : null;
            if (master != null) {
                // A copy is remembered as long as the master's alert is, so a repeat of it never copies twice.
                window = Math.max(window, master.alertRules().idempotencyWindowMillis());
            }
            state.idempotency().remember(e, window);
        }
    }
}
