package io.tradeflow.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JmhReportTest {
    private static final String JSON = """
            [
              {"benchmark": "io.tradeflow.bench.jmh.AlertParsingBenchmark.jackson", "mode": "avgt",
               "params": {"alert": "design"},
               "primaryMetric": {"score": 3100.4, "scoreError": 40.2, "scoreUnit": "ns/op"},
               "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 2464.05, "scoreError": 0.01, "scoreUnit": "B/op"}}},
              {"benchmark": "io.tradeflow.bench.jmh.AlertParsingBenchmark.parse", "mode": "avgt",
               "params": {"alert": "design"},
               "primaryMetric": {"score": 1.4, "scoreError": "NaN", "scoreUnit": "us/op"},
               "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 1008.02, "scoreError": 0.01, "scoreUnit": "B/op"}}},
              {"benchmark": "io.tradeflow.bench.jmh.StageBenchmark.pipeline", "mode": "avgt", "params": {},
               "primaryMetric": {"score": 94.2, "scoreError": 1.1, "scoreUnit": "ns/op"},
               "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 0.0001, "scoreError": 0.0, "scoreUnit": "B/op"}}},
              {"benchmark": "io.tradeflow.bench.jmh.StageBenchmark.riskStage", "mode": "avgt", "params": {},
               "primaryMetric": {"score": 14.0, "scoreError": 0.5, "scoreUnit": "ns/op"},
               "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 24.0, "scoreError": 0.0, "scoreUnit": "B/op"}}},
              {"benchmark": "io.tradeflow.http.WebhookTranslatorBenchmark.parse", "mode": "avgt",
               "params": {"alert": "design"},
               "primaryMetric": {"score": 1100.0, "scoreError": 10.0, "scoreUnit": "ns/op"},
               "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 784.02, "scoreError": 0.01, "scoreUnit": "B/op"}}},
              {"benchmark": "io.tradeflow.http.WebhookTranslatorBenchmark.translate", "mode": "avgt",
               "params": {"alert": "design"},
               "primaryMetric": {"score": 1500.0, "scoreError": 10.0, "scoreUnit": "ns/op"},
               "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 784.03, "scoreError": 0.01, "scoreUnit": "B/op"}}},
              {"benchmark": "io.tradeflow.http.WebhookTranslatorBenchmark.parse", "mode": "avgt",
               "params": {"alert": "tradingview"},
               "primaryMetric": {"score": 700.0, "scoreError": 10.0, "scoreUnit": "ns/op"},
               "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 696.0, "scoreError": 0.01, "scoreUnit": "B/op"}}},
              {"benchmark": "io.tradeflow.http.WebhookTranslatorBenchmark.translate", "mode": "avgt",
               "params": {"alert": "tradingview"},
               "primaryMetric": {"score": 900.0, "scoreError": 10.0, "scoreUnit": "ns/op"},
               "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 720.0, "scoreError": 0.01, "scoreUnit": "B/op"}}}
            ]
            """;

    @Test
    void shouldTabulateScoresWithBytesPerOpAndCheckTheIssueTargets() throws Exception {
        List<JmhReport.Row> rows = JmhReport.parse(new ObjectMapper().readTree(JSON));

        String md = JmhReport.markdown(rows, "jmh.json", new Machine(2, "AMD EPYC", 24_000, "OpenJDK 17", "Linux"));

        assertThat(rows).hasSize(8);
        assertThat(md).contains("| AlertParsingBenchmark.jackson | alert=design | 3,100 | 40.20 | ns/op | 2,464.1 |")
                .contains("| AlertParsingBenchmark.parse | alert=design | 1.40 | n/a | us/op | 1,008.0 |")
                .contains("| StageBenchmark.pipeline: 0 B/op | 0 B/op | yes |")
                .contains("| StageBenchmark.riskStage: 0 B/op | 24.0 B/op | **no** |")
                .contains("| parse (alert=design): ≤ 2 µs/op | 1,400 ns/op | yes |")
                .contains("| parse (alert=design): fewer B/op than the Jackson POJO baseline | 1,008.0 vs 2,464.1 B/op | yes |")
                .contains("| webhook translator (alert=design) beyond parsing: 0 B/op | 0 B/op (784.0 − 784.0) | yes |")
                .contains("| webhook translator (alert=tradingview) beyond parsing: 0 B/op | 24.0 B/op (720.0 − 696.0) | **no** |");
    }
}
