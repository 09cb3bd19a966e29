package io.tradeflow.core.feed;

import io.tradeflow.core.event.RingEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Replays {@code timestamp,symbol,price} lines of a CSV file as a price feed, for back-tests, demos
 * and tests. The timestamp is an ISO-8601 instant ({@code 2026-11-23T14:00:00Z}) or epoch
 * milliseconds. A header line (a first line whose price is not a number), blank lines and lines
 * starting with {@code #} are skipped.
 *
 * <p>A malformed line is logged with its line number and skipped, not fatal: a replay of a long
 * file should not stop at one bad row, and the count is kept ({@link #malformedLines()}) so a test
 * or an operator sees it. The lines' timestamps only pace the replay (speed 0 = as fast as the sink
 * takes them; otherwise real time divided by the speed); the ring stamps each price with the time
 * it arrives, like every other event, so trading days follow the router's clock.
 */
public final class CsvPriceReplay implements PriceFeed {
    private static final Logger LOG = LoggerFactory.getLogger(CsvPriceReplay.class);

    private final Path file;
    private final double speed;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean stopped;
    private volatile int published;
    private volatile int malformed;
    private Thread thread;

    /** @param speed 0 for as fast as possible, else the factor real time is divided by */
    public CsvPriceReplay(Path file, double speed) {
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be 0 or a positive factor: " + speed);
        }
        this.file = file;
        this.speed = speed;
    }

    @Override
    public synchronized void start(PriceSink sink) {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(() -> {
            try {
                replay(sink);
            } finally {
                done.countDown();
            }
        }, "price-feed-csv");
        thread.setDaemon(true);
        thread.start();
    }

    /** Reads the whole file into {@code sink} on the calling thread; returns how many prices it published. */
    public int replay(PriceSink sink) {
        long startNanos = System.nanoTime();
        long firstMillis = Long.MIN_VALUE;
        int lineNumber = 0;
        boolean seenContent = false;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while (!stopped && (line = reader.readLine()) != null) {
                lineNumber++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                boolean first = !seenContent;
                seenContent = true;
                String[] fields = trimmed.split(",", -1);
                if (fields.length != 3) {
                    malformed(lineNumber, "expected timestamp,symbol,price");
                    continue;
                }
                double price = number(fields[2].strip());
                if (Double.isNaN(price) && first) {
                    continue;   // the header
                }
                long at = timestamp(fields[0].strip());
                String symbol = fields[1].strip();
                if (at == Long.MIN_VALUE) {
                    malformed(lineNumber, "timestamp is neither an ISO-8601 instant nor epoch milliseconds");
                } else if (symbol.isEmpty() || symbol.length() > RingEvent.SYMBOL_CAPACITY || !ascii(symbol)) {
                    malformed(lineNumber, "symbol must be 1 to " + RingEvent.SYMBOL_CAPACITY + " ASCII characters");
                } else if (!(price > 0) || Double.isInfinite(price)) {
                    malformed(lineNumber, "price must be a number above 0");
                } else {
                    if (firstMillis == Long.MIN_VALUE) {
                        firstMillis = at;
                    }
                    if (!pace(startNanos, at - firstMillis) || !sink.onPrice(symbol, price)) {
                        break;
                    }
                    published++;
                }
            }
        } catch (IOException e) {
            LOG.error("price feed: reading {} failed at line {}", file, lineNumber, e);
        }
        LOG.info("price feed: replayed {} prices from {} ({} malformed lines skipped)", published, file, malformed);
        return published;
    }

    private void malformed(int lineNumber, String why) {
        malformed++;
        LOG.warn("price feed: {} line {} skipped: {}", file.getFileName(), lineNumber, why);
    }

    /** Waits until the line's offset from the first line, divided by the speed, has passed; false when stopped. */
    private boolean pace(long startNanos, long offsetMillis) {
        if (speed == 0 || offsetMillis <= 0) {
            return !stopped;
        }
        long due = startNanos + (long) (offsetMillis * 1_000_000L / speed);
        long wait;
        while (!stopped && (wait = due - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !stopped;
    }

    private static long timestamp(String text) {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return Long.MIN_VALUE;
            }
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }

    private static double number(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x21 || s.charAt(i) > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** Waits until the whole file was replayed (or the feed was closed). */
    public boolean awaitDone(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    public int published() {
        return published;
    }

    public int malformedLines() {
        return malformed;
    }

    @Override
    public void close() {
        stopped = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
