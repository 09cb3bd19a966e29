package io.tradeflow.config;

import java.time.Duration;

/**
 * Trial limits; whichever is reached first ends the trial.
 *
 * @param maxTrades trades allowed during the trial (0 or more)
 * @param duration  how long the trial lasts (positive)
 */
public record TrialConfig(int maxTrades, Duration duration) {
}
