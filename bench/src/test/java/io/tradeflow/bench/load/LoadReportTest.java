package io.tradeflow.bench.load;

import io.tradeflow.bench.load.LoadResults.BurstResult;
import io.tradeflow.bench.load.LoadResults.CpuPerAlert;
import io.tradeflow.bench.load.LoadResults.DecisionLatency;
import io.tradeflow.bench.load.LoadResults.IdleCpu;
import io.tradeflow.bench.load.LoadResults.Latency;
import io.tradeflow.bench.load.LoadResults.Ratio;
import io.tradeflow.bench.load.LoadResults.Step;
import io.tradeflow.bench.load.LoadResults.TargetResult;
import io.tradeflow.bench.report.Machine;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class LoadReportTest {
    private static TargetResult target(String name, double rmax, double p99, double p999) {
        // CPU: A 0.05 s, B 0.1 s, C 0.15 s, D 0.2 s for 10,000 alerts: 5, 10, 15, 20 µs per alert.
        int n = "ABCD".indexOf(name) + 1;
        CpuPerAlert cpu = CpuPerAlert.of(new CpuTicks(3L * n, 2L * n), 10_000, 2, 4_000_000_000L,
                new IdleCpu(1, 10, 5), 0, name.equals("D") ? 1 : 0);
        return new TargetResult(name, name, name + " server", rmax, false, "at x req/s: p99",
                new Latency(100, 100, 150, p99, p999, p999 * 2),
                100, 100, 0, Map.of(200, 100L), 0, false,
                name.equals("A") ? null : new DecisionLatency(100, 20, 50, p999 / 2), cpu, new IdleCpu(1, 10, 5));
    }

    private static BurstResult burst(String name, long non200, double p99Millis, Double caughtUp) {
        return new BurstResult(name, name, 50_000, 1_000, 2, 50_000, non200, 0, Map.of(200, 50_000L - non200, 503, non200),
                new Latency(50_000, 1_000, 2_000, p99Millis * 1000, p99Millis * 2000, p99Millis * 3000), 0.3, caughtUp,
                caughtUp == null ? null : caughtUp - 0.3, 12_000, name.equals("B") ? "none (journal off: nothing is projected)"
                        : caughtUp == null ? "still behind 60 s after the burst" : "caught up", null);
    }

    private static List<TargetResult> run() {
        return List.of(target("A", 40_000, 200, 400), target("B", 30_000, 250, 500), target("C", 20_000, 500, 1_500),
                target("D", 2_000, 900, 3_000));
    }

    @Test
    void shouldComputeTheIssueRatiosAgainstTargetA() {
        List<Ratio> ratios = LoadReport.ratios(run(), List.of());

        assertThat(ratios).extracting(Ratio::name).containsExactly("Rmax(C) / Rmax(A)", "Rmax(B) / Rmax(A)",
                "p99(C) / p99(A)", "p99.9(C) / p99.9(A)", "receive→decision p99.9(C) in ms, from /metrics",
                "Rmax(D) / Rmax(A)", "server CPU µs per alert (B), JVM + PostgreSQL",
                "server CPU µs per alert (C), JVM + PostgreSQL", "server CPU µs per alert (A)", "server CPU µs per alert (D)");
        assertThat(ratios.get(0).value()).isEqualTo(0.5);
        assertThat(ratios.get(0).met()).isFalse();
        assertThat(ratios.get(1).value()).isEqualTo(0.75);
        assertThat(ratios.get(1).met()).isTrue();
        assertThat(ratios.get(2).value()).isEqualTo(2.5);
        assertThat(ratios.get(2).met()).isFalse();
        assertThat(ratios.get(3).value()).isEqualTo(3.75);
        // C's decision p99.9 bucket bound is 750 µs: under the 1 ms target.
        assertThat(ratios.get(4).value()).isEqualTo(0.75);
        assertThat(ratios.get(4).met()).isTrue();
        assertThat(ratios.get(5).value()).isEqualTo(0.05);
        assertThat(ratios.get(5).met()).isNull();
        assertThat(ratios.get(6).value()).isEqualTo(10.0);
        assertThat(ratios.get(6).met()).isTrue();
        assertThat(ratios.get(7).value()).isEqualTo(15.0);
        assertThat(ratios.get(7).met()).isTrue();
        assertThat(ratios.get(9).value()).isEqualTo(20.0);
        assertThat(ratios.get(9).met()).isNull();
    }

    @Test
    void shouldSplitCpuPerAlertBetweenJvmAndPostgresAndNameTheIdleShare() {
        // 30 + 20 ticks over 5 s for 10,000 alerts; idle 10 + 5 ms/s over those 5 s is 75 ms: 7.5 µs per alert.
        CpuPerAlert c = CpuPerAlert.of(new CpuTicks(30, 20), 10_000, 2, 5_000_000_000L, new IdleCpu(2, 10, 5), 1, 0);

        assertThat(c.jvmMicrosPerAlert()).isEqualTo(30.0);
        assertThat(c.postgresMicrosPerAlert()).isEqualTo(20.0);
        assertThat(c.totalMicrosPerAlert()).isEqualTo(50.0);
        assertThat(c.idleMicrosPerAlert()).isEqualTo(7.5);
        assertThat(c.unsettledWindows()).isEqualTo(1);
        assertThat(CpuPerAlert.of(CpuTicks.ZERO, 0, 1, 1, null, 0, 0).totalMicrosPerAlert()).isNaN();
    }

    @Test
    void shouldJudgeEachBurstAgainstTheIssueTargets() {
        List<Ratio> ratios = LoadReport.ratios(List.of(), List.of(burst("B", 0, 4, null), burst("C", 3, 25, 4.5),
                burst("D", 0, 10, null)));

        assertThat(ratios).filteredOn(r -> r.name().startsWith("burst")).extracting(Ratio::name, Ratio::value, Ratio::met)
                .containsExactly(
                        tuple("burst B (50000 alerts): answers other than 200 + unanswered", 0.0, true),
                        tuple("burst B (50000 alerts): ack p99 in ms", 4.0, true),
                        tuple("burst C (50000 alerts): answers other than 200 + unanswered", 3.0, false),
                        tuple("burst C (50000 alerts): ack p99 in ms", 25.0, false),
                        tuple("burst C (50000 alerts): projection caught up, s after the burst", 4.5, true),
                        tuple("burst D (50000 alerts): answers other than 200 + unanswered", 0.0, true),
                        tuple("burst D (50000 alerts): ack p99 in ms", 10.0, true),
                        tuple("burst D (50000 alerts): projection caught up, s after the burst", null, false));
        assertThat(ratios).noneMatch(r -> r.name().startsWith("server CPU"));
    }

    @Test
    void shouldLeaveRatiosOpenWhenATargetWasNotRun() {
        List<Ratio> ratios = LoadReport.ratios(List.of(target("A", 40_000, 200, 400)), List.of());

        assertThat(ratios).filteredOn(r -> !r.name().endsWith("(A)")).allSatisfy(r -> {
            assertThat(r.value()).isNull();
            assertThat(r.met()).isNull();
        });
    }

    @Test
    void shouldSummariseEveryTargetRatioAndStepInMarkdown() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("p99LimitMillis", 5.0);
        settings.put("maxErrorRate", 0.01);
        settings.put("measureFraction", 0.25);
        settings.put("idleSeconds", 2.0);
        Step step = new Step("A", 0, 1, 200, 600, 600, 0, Map.of(200, 600L), 0, 200, new Latency(450, 90, 120, 800, 900, 1_000),
                true, "sustained", CpuPerAlert.of(new CpuTicks(1, 0), 600, 1, 1_000_000_000L, null, 0, 0));
        List<BurstResult> bursts = List.of(burst("C", 0, 12.5, 3.25));
        LoadResults results = new LoadResults("2026-11-23T140000Z", new Machine(2, "AMD EPYC", 24_000, "OpenJDK 17", "Linux"),
                settings, 10_000, run(), LoadReport.ratios(run(), bursts), List.of(step), bursts, true, List.of());

        String md = LoadReport.markdown(results);

        assertThat(md).contains("# TradeFlow load run 2026-11-23T140000Z")
                .contains("2 cores (AMD EPYC)")
                .contains("| C | C | 20,000 | 15.00 |")
                .contains("Latency at 25.00% of Rmax(A) = 10,000 req/s")
                .contains("| Rmax(C) / Rmax(A) | 0.5 | >= 0.6 | **no** |")
                .contains("| server CPU µs per alert (C), JVM + PostgreSQL | 15.0 | <= 20.0 | yes |")
                .contains("| C | 10000 | 4.00 | 9.00 | 6.00 | **15.00** | 6.00 | 10.00 | 5.00 | 0 / 0 of 2 |")
                .contains("| D | 10000 | 4.00 | 12.00 | 8.00 | **20.00** | 6.00 | 10.00 | 5.00 | 0 / 1 of 2 |")
                .contains("| 200 | 0.80 ms, 0.00% ✓ ↻, 16.70 µs |")
                .contains("## Burst: 50000 alerts over 2.00 s from 1000 keep-alive connections")
                .contains("| C | 50000 | 0 | 0 | 1.00 | 2.00 | 12.50 | 25.00 | 37.50 | 0.30 | caught up | 3.25 | 12000 | n/a |")
                .contains("| burst C (50000 alerts): projection caught up, s after the burst | 3.25 | <= 10.0 | yes |")
                .contains("| C | 100 | ≤ 20.00 µs | ≤ 50.00 µs | ≤ 750 µs |")
                .doesNotContain("| A | 100 | ≤");
    }
}
