package io.tradeflow.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Local minute-of-day and day number with a cached offset, across daylight-saving transitions. */
final class ZoneClockTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    // 2026-03-08 02:00 EST -> 03:00 EDT, and 2026-11-01 02:00 EDT -> 01:00 EST.
    private static final long SPRING_FORWARD = Instant.parse("2026-03-08T07:00:00Z").toEpochMilli();
    private static final long FALL_BACK = Instant.parse("2026-11-01T06:00:00Z").toEpochMilli();

    private static int minute(int hour, int minute) {
        return hour * 60 + minute;
    }

    @Test
    void shouldJumpAnHourForwardWhenDaylightSavingStarts() {
        ZoneClock clock = new ZoneClock(NEW_YORK);

        assertThat(clock.minuteOfDay(SPRING_FORWARD - 60_000)).isEqualTo(minute(1, 59));
        assertThat(clock.minuteOfDay(SPRING_FORWARD)).isEqualTo(minute(3, 0));
        assertThat(clock.day(SPRING_FORWARD - 1)).isEqualTo(LocalDate.of(2026, 3, 8).toEpochDay());
        assertThat(clock.day(SPRING_FORWARD)).isEqualTo(LocalDate.of(2026, 3, 8).toEpochDay());
    }

    @Test
    void shouldRepeatAnHourWhenDaylightSavingEnds() {
        ZoneClock clock = new ZoneClock(NEW_YORK);

        assertThat(clock.minuteOfDay(FALL_BACK - 60_000)).isEqualTo(minute(1, 59));
        assertThat(clock.minuteOfDay(FALL_BACK)).isEqualTo(minute(1, 0));
        assertThat(clock.minuteOfDay(FALL_BACK + 3_600_000)).isEqualTo(minute(2, 0));
    }

    @Test
    void shouldGiveTheOldOffsetJustBeforeATransitionItWasFirstAskedAbout() {
        ZoneClock clock = new ZoneClock(NEW_YORK);

        assertThat(clock.minuteOfDay(SPRING_FORWARD)).isEqualTo(minute(3, 0));
        assertThat(clock.minuteOfDay(SPRING_FORWARD - 1)).isEqualTo(minute(1, 59));
        assertThat(clock.minuteOfDay(FALL_BACK)).isEqualTo(minute(1, 0));
        assertThat(clock.minuteOfDay(FALL_BACK - 1)).isEqualTo(minute(1, 59));
    }

    @Test
    void shouldFollowTheDayAcrossLocalMidnightNotUtcMidnight() {
        ZoneClock clock = new ZoneClock(NEW_YORK);

        // 23:59 on 23 November in New York is already 24 November in UTC.
        assertThat(clock.day(Instant.parse("2026-11-24T04:59:00Z").toEpochMilli()))
                .isEqualTo(LocalDate.of(2026, 11, 23).toEpochDay());
        assertThat(clock.day(Instant.parse("2026-11-24T05:00:00Z").toEpochMilli()))
                .isEqualTo(LocalDate.of(2026, 11, 24).toEpochDay());
    }

    @ParameterizedTest
    @ValueSource(strings = {"America/New_York", "Europe/London", "Australia/Sydney", "Pacific/Chatham",
        "Asia/Kolkata", "UTC", "+05:30", "-09:30", "America/Sao_Paulo"})
    void shouldAgreeWithJavaTimeInAnyOrderOfQueries(String zoneName) {
        ZoneId zone = ZoneId.of(zoneName);
        ZoneClock clock = new ZoneClock(zone);
        Random random = new Random(zoneName.hashCode());
        long from = Instant.parse("2015-01-01T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2030-01-01T00:00:00Z").toEpochMilli();
        List<Long> instants = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            instants.add(from + (long) (random.nextDouble() * (to - from)));
        }
        // Every transition in the range, exactly and a millisecond either side.
        Instant at = Instant.ofEpochMilli(from);
        for (ZoneOffsetTransition t = zone.getRules().nextTransition(at); t != null && t.toEpochSecond() * 1000 < to;
                t = zone.getRules().nextTransition(t.getInstant())) {
            long ms = t.toEpochSecond() * 1000;
            instants.add(ms - 1);
            instants.add(ms);
            instants.add(ms + 1);
        }
        Collections.shuffle(instants, random);

        for (long ms : instants) {
            ZonedDateTime local = Instant.ofEpochMilli(ms).atZone(zone);
            assertThat(clock.minuteOfDay(ms)).as("%s %s", zoneName, local).isEqualTo(local.getHour() * 60 + local.getMinute());
            assertThat(clock.day(ms)).as("%s %s", zoneName, local).isEqualTo(local.toLocalDate().toEpochDay());
        }
    }
}
