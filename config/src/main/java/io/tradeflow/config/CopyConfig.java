package io.tradeflow.config;

/**
 * Copy trading.
 *
 * @param maxFollowersPerMaster follower accounts one master's alert is copied to (the first ones by subscription;
 *                              later ones are refused and recorded). A plan limit from billing will replace it.
 */
public record CopyConfig(int maxFollowersPerMaster) {
}
