package io.tradeflow.broker.gateway;

import io.tradeflow.broker.api.BrokerConnector;
import io.tradeflow.config.InstrumentSpec;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Instrument loads from connectors that answer at once, on the caller's thread (as a failed default does). */
class BrokerDataCacheTest {
    private static final InstrumentSpec SPEC = new InstrumentSpec("NQ", 1, 0.25, 0.25, 5, 1, 1, 10);

    private static BrokerConnector answeringAtOnce(CompletableFuture<InstrumentSpec> answer, AtomicInteger calls) {
        return (BrokerConnector) Proxy.newProxyInstance(BrokerConnector.class.getClassLoader(),
                new Class<?>[] {BrokerConnector.class}, (proxy, method, args) -> {
                    if (method.getName().equals("instrumentSpec")) {
                        calls.incrementAndGet();
                        return answer;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void shouldCacheASpecLoadedAtOnce() throws Exception {
        AccountConnectors accounts = new AccountConnectors();
        AtomicInteger calls = new AtomicInteger();
        accounts.put(1, answeringAtOnce(CompletableFuture.completedFuture(SPEC), calls));
        BrokerDataCache cache = new BrokerDataCache(accounts, System::currentTimeMillis, 60_000);

        assertThat(cache.loadInstrument(1, "NQ").get()).isEqualTo(SPEC);
        assertThat(cache.loadInstrument(1, "NQ").get()).isEqualTo(SPEC);
        assertThat(calls).as("the second read is served from the cache").hasValue(1);
    }

    @Test
    void shouldAnswerNullAndTryAgainLaterWhenTheBrokerRefusesAtOnce() throws Exception {
        AccountConnectors accounts = new AccountConnectors();
        AtomicInteger calls = new AtomicInteger();
        accounts.put(1, answeringAtOnce(CompletableFuture.failedFuture(new IllegalStateException("no specs")), calls));
        BrokerDataCache cache = new BrokerDataCache(accounts, System::currentTimeMillis, 60_000);

        assertThat(cache.loadInstrument(1, "NQ").get()).isNull();
        assertThat(cache.loadInstrument(1, "NQ").get()).isNull();
        assertThat(calls).as("a failed load is not remembered as running").hasValue(2);
    }
}
