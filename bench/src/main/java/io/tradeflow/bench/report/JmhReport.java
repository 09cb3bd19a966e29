package io.tradeflow.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Turns a JMH JSON result ({@code -rf json}, run with {@code -prof gc}) into a markdown table with
 * B/op next to every score, and checks the allocation and parsing targets.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.tradeflow.bench.report.JmhReport jmh.json jmh.md</pre>
 */
public final class JmhReport {
    /** JMH's own bookkeeping shows up as a fraction of a byte per op; anything below this is zero. */
    static final double ZERO_BYTES = 0.5;
    /** Issue 7: parsing a typical unify.v1 alert in at most 2 µs. */
    static final double PARSE_TARGET_NANOS = 2_000;

    /** One benchmark result. */
    public record Row(String benchmark, String params, double score, double error, String unit, Double bytesPerOp) {
        String shortName() {
            return benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
        }
    }

    private JmhReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: JmhReport <jmh.json> <out.md>");
            System.exit(2);
        }
        List<Row> rows = read(Path.of(args[0]));
        String md = markdown(rows, Path.of(args[0]).getFileName().toString(), Machine.current());
        Files.writeString(Path.of(args[1]), md, StandardCharsets.UTF_8);
        System.out.println(md);
    }

    public static List<Row> read(Path json) throws IOException {
        return parse(new ObjectMapper().readTree(json.toFile()));
    }

    static List<Row> parse(JsonNode root) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode b : root) {
            StringJoiner params = new StringJoiner(", ");
            JsonNode p = b.path("params");
            for (Map.Entry<String, JsonNode> e : p.properties()) {
                params.add(e.getKey() + "=" + e.getValue().asText());
            }
            JsonNode primary = b.path("primaryMetric");
            JsonNode alloc = b.path("secondaryMetrics").path("gc.alloc.rate.norm");
            rows.add(new Row(b.path("benchmark").asText(), params.toString(), primary.path("score").asDouble(),
                    primary.path("scoreError").asDouble(Double.NaN), primary.path("scoreUnit").asText(),
                    alloc.isMissingNode() ? null : alloc.path("score").asDouble()));
        }
        return rows;
    }

    public static String markdown(List<Row> rows, String source, Machine machine) {
        StringBuilder md = new StringBuilder();
        md.append("# TradeFlow JMH results (").append(source).append(")\n\n");
        md.append("Machine: ").append(machine.describe()).append(".  \n");
        md.append("Average time per operation with 99.9% confidence error; B/op from `-prof gc` "
                + "(`gc.alloc.rate.norm`, all threads of the fork).\n\n");
        md.append("| benchmark | params | score | ± error | unit | B/op |\n|---|---|---:|---:|---|---:|\n");
        for (Row r : rows) {
            md.append("| ").append(r.shortName()).append(" | ").append(r.params()).append(" | ")
                    .append(fmt(r.score())).append(" | ").append(Double.isNaN(r.error()) ? "n/a" : fmt(r.error()))
                    .append(" | ").append(r.unit()).append(" | ").append(bytes(r.bytesPerOp())).append(" |\n");
        }
        md.append("\n## Issue 7 targets\n\n| target | measured | met |\n|---|---|---|\n");
        for (String[] check : checks(rows)) {
            md.append("| ").append(check[0]).append(" | ").append(check[1]).append(" | ").append(check[2]).append(" |\n");
        }
        return md.toString();
    }

    /** The micro-benchmark targets: [target, measured, met]. */
    static List<String[]> checks(List<Row> rows) {
        List<String[]> checks = new ArrayList<>();
        for (Row r : rows) {
            if (r.benchmark().contains(".StageBenchmark.") && r.bytesPerOp() != null) {
                boolean zero = r.bytesPerOp() < ZERO_BYTES;
                checks.add(new String[] {r.shortName() + ": 0 B/op", bytes(r.bytesPerOp()) + " B/op", zero ? "yes" : "**no**"});
            }
        }
        for (Row translate : rows) {
            if (!translate.benchmark().endsWith("WebhookTranslatorBenchmark.translate") || translate.bytesPerOp() == null) {
                continue;
            }
            // The translator's own allocation: the whole translate minus the same body's parse, same class.
            Optional<Row> parse = rows.stream()
                    .filter(r -> r.benchmark().endsWith("WebhookTranslatorBenchmark.parse") && r.params().equals(translate.params()))
                    .findFirst();
            if (parse.isPresent() && parse.get().bytesPerOp() != null) {
                double own = translate.bytesPerOp() - parse.get().bytesPerOp();
                checks.add(new String[] {"webhook translator (" + translate.params() + ") beyond parsing: 0 B/op",
                        bytes(own) + " B/op (" + bytes(translate.bytesPerOp()) + " − " + bytes(parse.get().bytesPerOp()) + ")",
                        own < ZERO_BYTES ? "yes" : "**no**"});
            }
        }
        for (Row parse : rows) {
            if (!parse.benchmark().endsWith("AlertParsingBenchmark.parse")) {
                continue;
            }
            String what = "parse (" + parse.params() + ")";
            double nanos = toNanos(parse.score(), parse.unit());
            checks.add(new String[] {what + ": ≤ 2 µs/op", fmt(nanos) + " ns/op", nanos <= PARSE_TARGET_NANOS ? "yes" : "**no**"});
            Optional<Row> baseline = rows.stream()
                    .filter(r -> r.benchmark().endsWith("AlertParsingBenchmark.jackson") && r.params().equals(parse.params()))
                    .findFirst();
            if (baseline.isPresent() && parse.bytesPerOp() != null && baseline.get().bytesPerOp() != null) {
                boolean less = parse.bytesPerOp() < baseline.get().bytesPerOp();
                checks.add(new String[] {what + ": fewer B/op than the Jackson POJO baseline",
                        bytes(parse.bytesPerOp()) + " vs " + bytes(baseline.get().bytesPerOp()) + " B/op", less ? "yes" : "**no**"});
            }
        }
        return checks;
    }

    static double toNanos(double score, String unit) {
        switch (unit) {
            case "ns/op":
                return score;
            case "us/op":
                return score * 1_000;
            case "ms/op":
                return score * 1_000_000;
            case "s/op":
                return score * 1_000_000_000;
            default:
                throw new IllegalArgumentException("not a time per operation: " + unit);
        }
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String bytes(Double b) {
        if (b == null) {
            return "n/a";
        }
        return b < ZERO_BYTES ? "0" : String.format(Locale.ROOT, "%,.1f", b);
    }
}
