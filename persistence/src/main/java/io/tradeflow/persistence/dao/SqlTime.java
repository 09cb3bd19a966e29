package io.tradeflow.persistence.dao;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
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

    public static OffsetDateTime utcMillis(long epochMillis) {
        return utc(Instant.ofEpochMilli(epochMillis));
    }

    /** The column as an instant, or null when it is SQL null. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
