package io.tradeflow.core.state;

/** What the routing stages know about a user: plan, trial usage and the emergency stop. */
public final class UserState {
    private final long userId;
    private long signupAtMillis;
    private boolean trial;
    private int tradesUsed;
    private boolean emergencyStop;

    public UserState(long userId) {
        this.userId = userId;
    }

    public long userId() {
        return userId;
    }

    public long signupAtMillis() {
        return signupAtMillis;
    }

    public boolean onTrial() {
        return trial;
    }

    public int tradesUsed() {
        return tradesUsed;
    }

    public boolean emergencyStop() {
        return emergencyStop;
    }

    void plan(long signupAtMillis, boolean trial) {
        this.signupAtMillis = signupAtMillis;
        this.trial = trial;
    }

    void tradesUsed(int tradesUsed) {
        this.tradesUsed = tradesUsed;
    }

    void countTrade() {
        tradesUsed++;
    }

    void emergencyStop(boolean on) {
        this.emergencyStop = on;
    }
}
