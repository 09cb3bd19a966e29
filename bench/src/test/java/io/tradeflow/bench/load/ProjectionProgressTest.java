package io.tradeflow.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProjectionProgressTest {
    /** As micrometer's Prometheus registry prints TradeFlow's gauges (journal indexes carry the cycle in the high bits). */
    private static final String EXPOSITION = """
            # HELP tradeflow_journal_last_index Index of the last journal record
            # TYPE tradeflow_journal_last_index gauge
            tradeflow_journal_last_index 8.7385890545672E13
            # HELP tradeflow_projection_last_index Last journal index applied to PostgreSQL
            # TYPE tradeflow_projection_last_index gauge
            tradeflow_projection_last_index 8.7385890535672E13
            # HELP tradeflow_projection_lag Journal records not yet in PostgreSQL (-1 when the journal rolled since)
            # TYPE tradeflow_projection_lag gauge
            tradeflow_projection_lag 10000.0
            tradeflow_ring_backlog 0.0
            """;

    @Test
    void shouldReadTheJournalAndProjectionIndexesExactly() {
        ProjectionProgress p = ProjectionProgress.parse(EXPOSITION);

        assertThat(p.journalLastIndex()).isEqualTo(87_385_890_545_672L);
        assertThat(p.projectionLastIndex()).isEqualTo(87_385_890_535_672L);
        assertThat(p.lag()).isEqualTo(10_000);
        assertThat(p.caughtUp()).isFalse();
        assertThat(ProjectionProgress.parse(EXPOSITION.replace("535672", "545672")).caughtUp()).isTrue();
        assertThat(ProjectionProgress.parse(EXPOSITION.replace("535672", "545675")).caughtUp())
                .as("projected past the journal index read a moment earlier").isTrue();
    }

    @Test
    void shouldRefuseAScrapeWithoutTheGauges() {
        assertThatThrownBy(() -> ProjectionProgress.parse("tradeflow_ring_backlog 0.0\n"))
                .hasMessageContaining("tradeflow_journal_last_index");
    }
}
