package io.tradeflow.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Catches Netty's buffer-leak reports. Surefire runs with {@code -Dio.netty.leakDetectionLevel=paranoid},
 * so every buffer is tracked; a buffer collected without being released is reported, as an ERROR
 * of the {@link ResourceLeakDetector} logger, the next time a buffer is allocated. {@link #leaksAfter}
 * provokes that: GCs, then allocations.
 */
final class NettyLeakWatcher implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    NettyLeakWatcher() {
        appender.setName("leak-watcher");
        appender.start();
        logger.addAppender(appender);
    }

    /**
     * The leak reports after {@code rounds} rounds of: a GC, a pause for the reference handler to
     * enqueue what it collected, then allocations (which make the detector report). A fixed
     * procedure, not a poll that stops at the first empty answer: a check that finds no leak has
     * looked exactly as hard as the companion check that must find a deliberate one.
     */
    List<String> leaksAfter(int rounds) throws InterruptedException {
        for (int round = 0; round < rounds; round++) {
            System.gc();
            Thread.sleep(20);
            for (int i = 0; i < 100; i++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(16);
                probe.release();
            }
        }
        synchronized (appender.list) {
            return appender.list.stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("LEAK"))
                    .toList();
        }
    }

    static boolean paranoid() {
        return ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID;
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
