package io.tradeflow.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tradeflow.bench.load.LoadResults.DecisionLatency;
import io.tradeflow.bench.load.LoadResults.Latency;
import io.tradeflow.bench.load.LoadResults.Ratio;
import io.tradeflow.bench.load.LoadResults.Step;
import io.tradeflow.bench.load.LoadResults.TargetResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Writes a run's JSON and its markdown summary, and computes the ratios the issue sets targets for. */
public final class LoadReport {
    private LoadReport() {
    }

    /** The targets, from Rmax and the latency at the measurement rate. */
    public static List<Ratio> ratios(List<TargetResult> targets) {
        Optional<TargetResult> a = find(targets, "A");
        Optional<TargetResult> b = find(targets, "B");
        Optional<TargetResult> c = find(targets, "C");
        Optional<TargetResult> d = find(targets, "D");
        List<Ratio> ratios = new ArrayList<>();
        ratios.add(Ratio.atLeast("Rmax(C) / Rmax(A)", ratio(c.map(TargetResult::rmax), a.map(TargetResult::rmax)), 0.6));
        ratios.add(Ratio.atLeast("Rmax(B) / Rmax(A)", ratio(b.map(TargetResult::rmax), a.map(TargetResult::rmax)), 0.7));
        ratios.add(Ratio.atMost("p99(C) / p99(A)", ratio(c.map(t -> t.latency().p99Micros()),
                a.map(t -> t.latency().p99Micros())), 2));
        ratios.add(Ratio.atMost("p99.9(C) / p99.9(A)", ratio(c.map(t -> t.latency().p999Micros()),
                a.map(t -> t.latency().p999Micros())), 3));
        // Absolute, not a ratio: TradeFlow's own receive → decision time (bucket bound, so an upper bound).
        Double decisionMillis = c.map(TargetResult::decision).map(dl -> dl.p999UpToMicros() / 1000).orElse(null);
        ratios.add(Ratio.atMost("receive→decision p99.9(C) in ms, from /metrics", decisionMillis == null
                || decisionMillis.isNaN() ? null : decisionMillis, 1));
        // Reported, no target: what power-cut durability costs.
        ratios.add(new Ratio("Rmax(D) / Rmax(A)", ratio(d.map(TargetResult::rmax), a.map(TargetResult::rmax)), "", 0, null));
        return ratios;
    }

    static Double ratio(Optional<Double> numerator, Optional<Double> denominator) {
        if (numerator.isEmpty() || denominator.isEmpty()) {
            return null;
        }
        double n = numerator.get();
        double d = denominator.get();
        if (Double.isNaN(n) || Double.isNaN(d) || d == 0) {
            return null;
        }
        return Math.round(n / d * 1000) / 1000.0;
    }

    private static Optional<TargetResult> find(List<TargetResult> targets, String name) {
        return targets.stream().filter(t -> t.target().equals(name)).findFirst();
    }

    public static void writeJson(LoadResults results, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), results);
    }

    public static String markdown(LoadResults r) {
        StringBuilder md = new StringBuilder();
        md.append("# TradeFlow load run ").append(r.stamp()).append("\n\n");
        md.append("Machine: ").append(r.machine().describe()).append(".  \n");
        md.append("Verdict: ").append(r.passed() ? "**PASSED** (every target answered at least 99% of requests with 200)"
                : "**FAILED**").append("\n\n");
        if (!r.problems().isEmpty()) {
            for (String p : r.problems()) {
                md.append("- ").append(p).append('\n');
            }
            md.append('\n');
        }
        md.append("Open-loop constant-rate HTTP/1.1 load over keep-alive connections; latency from each request's planned "
                + "send time to its answer (no coordinated omission), in HdrHistogram. Settings: ")
                .append(settings(r.settings())).append(".\n\n");

        md.append("## Highest sustained rate (Rmax)\n\n");
        md.append("A step passes with p99 ≤ ").append(r.settings().get("p99LimitMillis")).append(" ms and ≤ ")
                .append(pct((Double) r.settings().get("maxErrorRate"))).append(" of requests not answered 200.\n\n");
        md.append("| target | server | Rmax (req/s) | ramp stopped because |\n|---|---|---:|---|\n");
        for (TargetResult t : r.targets()) {
            md.append("| ").append(t.target()).append(" | ").append(t.label()).append(" | ")
                    .append(t.rmaxCapped() ? "≥ " : "").append(rate(t.rmax())).append(" | ").append(t.stoppedBecause())
                    .append(" |\n");
        }
        md.append("\n## Latency at ").append(pct((Double) r.settings().get("measureFraction"))).append(" of Rmax(A) = ")
                .append(rate(r.measuredRate())).append(" req/s\n\n");
        md.append("| target | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | requests | non-200 | failed |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (TargetResult t : r.targets()) {
            Latency l = t.latency();
            md.append("| ").append(t.target()).append(t.overCapacity() ? " (over its Rmax)" : "").append(" | ")
                    .append(num(l.p50Micros())).append(" | ").append(num(l.p90Micros())).append(" | ")
                    .append(num(l.p99Micros())).append(" | ").append(num(l.p999Micros())).append(" | ")
                    .append(num(l.maxMicros())).append(" | ").append(t.planned()).append(" | ")
                    .append(t.answered() - t.statuses().getOrDefault(200, 0L)).append(" | ").append(t.failed()).append(" |\n");
        }
        md.append("\nReceive → decision inside TradeFlow over the same phases, from each server's /metrics buckets "
                + "(\"≤ x\": the bucket's upper bound):\n\n| target | alerts | p50 | p99 | p99.9 |\n|---|---:|---:|---:|---:|\n");
        for (TargetResult t : r.targets()) {
            DecisionLatency d = t.decision();
            if (d != null) {
                md.append("| ").append(t.target()).append(" | ").append(d.count()).append(" | ≤ ").append(num(d.p50UpToMicros()))
                        .append(" µs | ≤ ").append(num(d.p99UpToMicros())).append(" µs | ≤ ").append(num(d.p999UpToMicros()))
                        .append(" µs |\n");
            }
        }
        md.append("\n## Ratios (issue 7 targets)\n\n| ratio | value | target | met |\n|---|---:|---|---|\n");
        for (Ratio ratio : r.ratios()) {
            md.append("| ").append(ratio.name()).append(" | ").append(ratio.value() == null ? "n/a" : ratio.value())
                    .append(" | ").append(ratio.comparison().isEmpty() ? "(reported)" : ratio.comparison() + " " + ratio.goal())
                    .append(" | ").append(ratio.met() == null ? "" : ratio.met() ? "yes" : "**no**").append(" |\n");
        }
        md.append("\n## Ramp\n\nEach cell: p99 in ms, share not answered 200, and whether the step passed "
                + "(↻: after a retry).\n\n");
        Map<Double, Map<String, Step>> byRate = new TreeMap<>();
        for (Step s : r.steps()) {
            byRate.computeIfAbsent(s.rate(), k -> new LinkedHashMap<>()).put(s.target(), s);
        }
        md.append("| rate (req/s) |");
        for (TargetResult t : r.targets()) {
            md.append(' ').append(t.target()).append(" |");
        }
        md.append("\n|---:|");
        md.append("---|".repeat(r.targets().size()));
        md.append('\n');
        byRate.forEach((rate, cells) -> {
            md.append("| ").append(rate(rate)).append(" |");
            for (TargetResult t : r.targets()) {
                Step s = cells.get(t.target());
                md.append(' ').append(s == null ? "" : String.format(Locale.ROOT, "%s ms, %s %s%s",
                        num(s.latency().p99Micros() / 1000), pct(s.errorRate()), s.passed() ? "✓" : "✗",
                        s.attempt() > 0 ? " ↻" : "")).append(" |");
            }
            md.append('\n');
        });
        md.append("\nTargets: ");
        for (TargetResult t : r.targets()) {
            md.append("(").append(t.target()).append(") ").append(t.description()).append(". ");
        }
        md.append('\n');
        return md.toString();
    }

    private static String settings(Map<String, Object> s) {
        StringBuilder b = new StringBuilder();
        s.forEach((k, v) -> {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(k).append(' ').append(v);
        });
        return b.toString();
    }

    static String rate(double r) {
        return String.format(Locale.ROOT, "%,.0f", r);
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String pct(double share) {
        return String.format(Locale.ROOT, "%.2f%%", share * 100);
    }
}
