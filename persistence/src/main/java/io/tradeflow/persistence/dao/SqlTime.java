package io.tradeflow.persistence.dao;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Instants to and from {@code timestamptz}. Binding an {@link OffsetDateTime} in UTC (rather than a
 * {@code java.sql.Timestamp}) keeps the JVM's default time zone out of every conversion.
 */
public final class SqlTime {
    private SqlTime() {
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /**
     * Built from the UTC date-time fields: {@code Instant.atOffset} asks the offset for its
     * {@code ZoneRules}, which {@code ZoneOffset} builds anew on every call; the projection calls
     * this for every event, and that allocation was its thread's largest cost.
     */
    public static OffsetDateTime utcMillis(long epochMillis) {
        long seconds = Math.floorDiv(epochMillis, 1000L);
        int nanos = (int) Math.floorMod(epochMillis, 1000L) * 1_000_000;
        return OffsetDateTime.of(LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC), ZoneOffset.UTC);
    }

    /** The column as an instant, or null when it is SQL null. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
