package io.tradeflow.config;

/**
 * Copy trading.
 *
 * @param maxFollowersPerMaster the operator-wide cap on follower accounts one master's alert is copied to
 *                              (the first ones by subscription; later ones are refused and recorded). The master's
 *                              own limit is its plan's {@code billing.plans.<plan>.copy-followers}; the lower wins.
 */
public record CopyConfig(int maxFollowersPerMaster) {
}
