package io.tradeflow.config;

/**
 * Where TradeFlow's threads may run.
 *
 * @param routerCpus CPUs reserved for the two threads every alert passes through (the HTTP event loop and the
 *                   ring consumer); every other thread, and the embedded PostgreSQL, is kept on the remaining
 *                   CPUs. {@link CpuSet#NONE} leaves all scheduling to the operating system.
 */
public record ThreadsConfig(CpuSet routerCpus) {
}
