package io.tradeflow.config;

import java.nio.file.Path;

/**
 * The complete, validated TradeFlow configuration. Instances come from {@link ConfigLoader}, which guarantees every
 * value is in range, so consumers can use them without re-checking.
 *
 * @param profile    deployment profile; decides whether secrets may be generated
 * @param dataDir    absolute, normalized root directory for local state
 * @param http       webhook ingress server settings
 * @param ring       order ring-buffer settings
 * @param journal    order journal settings
 * @param trial      trial limits
 * @param risk       pre-trade risk limits
 * @param instruments contract size, pip/tick size and value, lot step and limits per broker instrument
 * @param alerts     default alert settings (pyramiding, duplicate window, signal age, symbol map) of every account
 * @param paper      paper-trading simulation settings
 * @param database   database connection settings
 * @param projection journal-to-database projection settings
 * @param security   secrets; may be empty only in the demo profile
 * @param brokers    timeouts, circuit breaking and reconciliation for real-broker accounts
 * @param prices     the operator's price feed that triggers paper orders and stops
 * @param threads    CPU pinning of the router's threads
 * @param auth       token lifetimes and password-hashing cost of the dashboard's sessions
 * @param mail       outgoing SMTP mail; disabled when its host is empty
 * @param notifications retries of notification deliveries and which webhook URLs are allowed
 * @param copy       copy trading (followers per master)
 * @param billing    plans, their limits and the Stripe connection
 */
public record TradeFlowConfig(Profile profile, Path dataDir, HttpConfig http, RingConfig ring, JournalConfig journal,
                              TrialConfig trial, RiskLimits risk, AlertSettings alerts,
                              java.util.Map<String, InstrumentSpec> instruments, PaperConfig paper, DatabaseConfig database,
                              ProjectionConfig projection, SecurityConfig security, BrokersConfig brokers,
                              PricesConfig prices, ThreadsConfig threads, AuthConfig auth, MailConfig mail,
                              NotificationsConfig notifications, CopyConfig copy,
                              BillingConfig billing) {
}
