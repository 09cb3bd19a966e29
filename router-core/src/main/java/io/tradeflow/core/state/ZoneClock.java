package io.tradeflow.core.state;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Converts epoch millis to local minute-of-day and local day number for one time zone. The UTC
 * offset is cached until the zone's next transition, so the steady state does not allocate.
 * Used by one thread (the ring consumer).
 */
public final class ZoneClock {
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private final ZoneRules rules;
    private final boolean fixed;
    private long offsetMillis;
    private long validFrom = Long.MAX_VALUE;
    private long validUntil = Long.MIN_VALUE;

    public ZoneClock(ZoneId zone) {
        this.rules = zone.getRules();
        this.fixed = rules.isFixedOffset();
        if (fixed) {
            offsetMillis = rules.getOffset(Instant.EPOCH).getTotalSeconds() * 1000L;
        }
    }

    public int minuteOfDay(long epochMillis) {
        long local = epochMillis + offsetAt(epochMillis);
        return (int) (Math.floorMod(local, MILLIS_PER_DAY) / 60_000L);
    }

    /** Days since 1970-01-01 in this zone. */
    public long day(long epochMillis) {
        return Math.floorDiv(epochMillis + offsetAt(epochMillis), MILLIS_PER_DAY);
    }

    private long offsetAt(long epochMillis) {
        if (fixed || (epochMillis >= validFrom && epochMillis < validUntil)) {
            return offsetMillis;
        }
        Instant instant = Instant.ofEpochMilli(epochMillis);
        offsetMillis = rules.getOffset(instant).getTotalSeconds() * 1000L;
        // previousTransition is strictly before its argument: ask from 1 ms later so a transition at
        // exactly this instant starts the cached range (else earlier times would get the new offset).
        ZoneOffsetTransition previous = rules.previousTransition(instant.plusMillis(1));
        ZoneOffsetTransition next = rules.nextTransition(instant);
        validFrom = previous == null ? Long.MIN_VALUE : previous.toEpochSecond() * 1000L;
        validUntil = next == null ? Long.MAX_VALUE : next.toEpochSecond() * 1000L;
        return offsetMillis;
    }
}
