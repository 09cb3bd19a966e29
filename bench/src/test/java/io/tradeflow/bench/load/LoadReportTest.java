package io.tradeflow.bench.load;

import io.tradeflow.bench.load.LoadResults.DecisionLatency;
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

class LoadReportTest {
    private static TargetResult target(String name, double rmax, double p99, double p999) {
        return new TargetResult(name, name, name + " server", rmax, false, "at x req/s: p99",
                new Latency(100, 100, 150, p99, p999, p999 * 2),
                100, 100, 0, Map.of(200, 100L), 0, false,
                name.equals("A") ? null : new DecisionLatency(100, 20, 50, p999 / 2));
    }

    private static List<TargetResult> run() {
        return List.of(target("A", 40_000, 200, 400), target("B", 30_000, 250, 500), target("C", 20_000, 500, 1_500),
                target("D", 2_000, 900, 3_000));
    }

    @Test
    void shouldComputeTheIssueRatiosAgainstTargetA() {
        List<Ratio> ratios = LoadReport.ratios(run());

        assertThat(ratios).extracting(Ratio::name).containsExactly("Rmax(C) / Rmax(A)", "Rmax(B) / Rmax(A)",
                "p99(C) / p99(A)", "p99.9(C) / p99.9(A)", "receive→decision p99.9(C) in ms, from /metrics",
                "Rmax(D) / Rmax(A)");
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
    }

    @Test
    void shouldLeaveRatiosOpenWhenATargetWasNotRun() {
        List<Ratio> ratios = LoadReport.ratios(List.of(target("A", 40_000, 200, 400)));

        assertThat(ratios).allSatisfy(r -> {
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
        Step step = new Step("A", 0, 1, 200, 600, 600, 0, Map.of(200, 600L), 0, 200, new Latency(450, 90, 120, 800, 900, 1_000),
                true, "sustained");
        LoadResults results = new LoadResults("2026-11-23T140000Z", new Machine(2, "AMD EPYC", 24_000, "OpenJDK 17", "Linux"),
                settings, 10_000, run(), LoadReport.ratios(run()), List.of(step), true, List.of());

        String md = LoadReport.markdown(results);

        assertThat(md).contains("# TradeFlow load run 2026-11-23T140000Z")
                .contains("2 cores (AMD EPYC)")
                .contains("| C | C | 20,000 |")
                .contains("Latency at 25.00% of Rmax(A) = 10,000 req/s")
                .contains("| Rmax(C) / Rmax(A) | 0.5 | >= 0.6 | **no** |")
                .contains("| 200 | 0.80 ms, 0.00% ✓ ↻ |")
                .contains("| C | 100 | ≤ 20.00 µs | ≤ 50.00 µs | ≤ 750 µs |")
                .doesNotContain("| A | 100 | ≤");
    }
}
