package io.tradeflow.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenLoopScheduleTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldPlanRateTimesDurationRequestsAtEvenIntervals() {
        OpenLoopSchedule s = new OpenLoopSchedule(1_000, 1_000, 2 * SECOND, 0);

        assertThat(s.total()).isEqualTo(2_000);
        assertThat(s.plannedNanos(0)).isEqualTo(1_000);
        assertThat(s.plannedNanos(1)).isEqualTo(1_000 + 1_000_000);
        assertThat(s.plannedNanos(1_999)).isEqualTo(1_000 + 1_999_000_000L);
        assertThat(s.endNanos()).isEqualTo(s.plannedNanos(1_999));
    }

    @Test
    void shouldCountRequestsDueIncludingTheOnePlannedExactlyNow() {
        OpenLoopSchedule s = new OpenLoopSchedule(0, 1_000, SECOND, 0);

        assertThat(s.dueAt(-1)).isZero();
        assertThat(s.dueAt(0)).isEqualTo(1);
        assertThat(s.dueAt(999_999)).isEqualTo(1);
        assertThat(s.dueAt(1_000_000)).isEqualTo(2);
        assertThat(s.dueAt(10 * SECOND)).isEqualTo(1_000);
    }

    @Test
    void shouldAgreeWithPlannedTimesForAwkwardRates() {
        OpenLoopSchedule s = new OpenLoopSchedule(7, 3_333.3, SECOND, 0);

        for (long i = 0; i < s.total(); i++) {
            long planned = s.plannedNanos(i);
            assertThat(s.dueAt(planned)).as("due at planned time of %d", i).isEqualTo(i + 1);
            assertThat(s.dueAt(planned - 1)).as("due just before %d", i).isEqualTo(i);
        }
    }

    @Test
    void shouldRecordOnlyRequestsPlannedAfterTheWarmup() {
        OpenLoopSchedule s = new OpenLoopSchedule(0, 100, SECOND, SECOND / 4);

        assertThat(s.recordFrom()).isEqualTo(25);
        assertThat(s.recorded(24)).isFalse();
        assertThat(s.recorded(25)).isTrue();
    }

    @Test
    void shouldRefuseAWarmupAsLongAsThePhase() {
        assertThatThrownBy(() -> new OpenLoopSchedule(0, 100, SECOND, SECOND))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OpenLoopSchedule(0, 0, SECOND, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
