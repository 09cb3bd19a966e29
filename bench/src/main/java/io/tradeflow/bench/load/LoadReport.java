package io.tradeflow.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tradeflow.bench.load.LoadResults.BurstResult;
import io.tradeflow.bench.load.LoadResults.CpuPerAlert;
import io.tradeflow.bench.load.LoadResults.DecisionLatency;
import io.tradeflow.bench.load.LoadResults.IdleCpu;
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

    /** Issue 19: server CPU per alert, everything included (JVM and PostgreSQL, catch-up included). */
    static final double CPU_B_TARGET_MICROS = 10;
    static final double CPU_C_TARGET_MICROS = 20;
    /** Issue 19's burst targets: ack p99 and the projection's catch-up after the burst. */
    static final double BURST_ACK_P99_TARGET_MILLIS = 20;
    static final double BURST_CATCH_UP_TARGET_SECONDS = 10;

    /** The issues' targets, from Rmax, the latency and the CPU at the measurement rate, and the bursts. */
    public static List<Ratio> ratios(List<TargetResult> targets, List<BurstResult> bursts) {
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
        if (!targets.isEmpty()) {
            ratios.add(Ratio.atMost("server CPU µs per alert (B), JVM + PostgreSQL", cpu(b), CPU_B_TARGET_MICROS));
            ratios.add(Ratio.atMost("server CPU µs per alert (C), JVM + PostgreSQL", cpu(c), CPU_C_TARGET_MICROS));
            ratios.add(new Ratio("server CPU µs per alert (A)", cpu(a), "", 0, null));
            ratios.add(new Ratio("server CPU µs per alert (D)", cpu(d), "", 0, null));
        }
        for (BurstResult burst : bursts) {
            String name = "burst " + burst.target() + " (" + burst.alerts() + " alerts): ";
            ratios.add(Ratio.atMost(name + "answers other than 200 + unanswered", (double) burst.non200() + burst.unanswered(),
                    0));
            ratios.add(Ratio.atMost(name + "ack p99 in ms", Double.isNaN(burst.ack().p99Micros()) ? null
                    : Math.round(burst.ack().p99Micros() / 10) / 100.0, BURST_ACK_P99_TARGET_MILLIS));
            if (burst.projection().startsWith("none")) {
                continue;
            }
            // Not caught up within the wait: the target is missed, by an unknown amount.
            Double caughtUp = burst.caughtUpSeconds();
            ratios.add(new Ratio(name + "projection caught up, s after the burst", caughtUp, "<=",
                    BURST_CATCH_UP_TARGET_SECONDS, caughtUp == null ? Boolean.FALSE : caughtUp <= BURST_CATCH_UP_TARGET_SECONDS));
        }
        return ratios;
    }

    private static Double cpu(Optional<TargetResult> t) {
        return t.map(TargetResult::cpu).map(CpuPerAlert::totalMicrosPerAlert).filter(v -> !v.isNaN()).orElse(null);
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
        md.append("Verdict: ").append(r.passed() ? "**PASSED** (every target answered at least 99% of requests with 200"
                + (r.bursts().isEmpty() ? "" : ", every burst alert answered 200") + ")" : "**FAILED**").append("\n\n");
        if (!r.problems().isEmpty()) {
            for (String p : r.problems()) {
                md.append("- ").append(p).append('\n');
            }
            md.append('\n');
        }
        md.append("Open-loop constant-rate HTTP/1.1 load over keep-alive connections; latency from each request's planned "
                + "send time to its answer (no coordinated omission), in HdrHistogram. Settings: ")
                .append(settings(r.settings())).append(".\n\n");
        if (!r.targets().isEmpty()) {
            rampSummary(md, r);
            cpu(md, r);
        }
        if (!r.bursts().isEmpty()) {
            bursts(md, r.bursts());
        }
        md.append("\n## Targets (issues 7 and 19)\n\n| figure | value | target | met |\n|---|---:|---|---|\n");
        for (Ratio ratio : r.ratios()) {
            md.append("| ").append(ratio.name()).append(" | ").append(ratio.value() == null ? "n/a" : ratio.value())
                    .append(" | ").append(ratio.comparison().isEmpty() ? "(reported)" : ratio.comparison() + " " + ratio.goal())
                    .append(" | ").append(ratio.met() == null ? "" : ratio.met() ? "yes" : "**no**").append(" |\n");
        }
        if (!r.targets().isEmpty()) {
            ramp(md, r);
        }
        md.append("\nTargets: ");
        for (TargetResult t : r.targets()) {
            md.append("(").append(t.target()).append(") ").append(t.description()).append(". ");
        }
        md.append('\n');
        return md.toString();
    }

    private static void rampSummary(StringBuilder md, LoadResults r) {
        md.append("## Highest sustained rate (Rmax)\n\n");
        md.append("A step passes with p99 ≤ ").append(r.settings().get("p99LimitMillis")).append(" ms and ≤ ")
                .append(pct((Double) r.settings().get("maxErrorRate"))).append(" of requests not answered 200.\n\n");
        md.append("| target | server | Rmax (req/s) | CPU µs/alert at the measurement rate | ramp stopped because |\n"
                + "|---|---|---:|---:|---|\n");
        for (TargetResult t : r.targets()) {
            md.append("| ").append(t.target()).append(" | ").append(t.label()).append(" | ")
                    .append(t.rmaxCapped() ? "≥ " : "").append(rate(t.rmax())).append(" | ")
                    .append(t.cpu() == null ? "n/a" : num(t.cpu().totalMicrosPerAlert())).append(" | ")
                    .append(t.stoppedBecause()).append(" |\n");
        }
        Object fixedRate = r.settings().get("measureRate");
        if (fixedRate instanceof Double d && d > 0) {
            md.append("\n## Latency at a fixed ").append(rate(r.measuredRate())).append(" req/s (--measure-rate)\n\n");
        } else {
            md.append("\n## Latency at ").append(pct((Double) r.settings().get("measureFraction"))).append(" of Rmax(A) = ")
                    .append(rate(r.measuredRate())).append(" req/s\n\n");
        }
        md.append("| target | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | requests | non-200 | failed | CPU µs/alert |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (TargetResult t : r.targets()) {
            Latency l = t.latency();
            md.append("| ").append(t.target()).append(t.overCapacity() ? " (over its Rmax)" : "").append(" | ")
                    .append(num(l.p50Micros())).append(" | ").append(num(l.p90Micros())).append(" | ")
                    .append(num(l.p99Micros())).append(" | ").append(num(l.p999Micros())).append(" | ")
                    .append(num(l.maxMicros())).append(" | ").append(t.planned()).append(" | ")
                    .append(t.answered() - t.statuses().getOrDefault(200, 0L)).append(" | ").append(t.failed()).append(" | ")
                    .append(t.cpu() == null ? "n/a" : num(t.cpu().totalMicrosPerAlert())).append(" |\n");
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
    }

    private static void cpu(StringBuilder md, LoadResults r) {
        md.append("\n## Server CPU per alert at ").append(rate(r.measuredRate())).append(" req/s\n\n")
                .append("From /proc (utime + stime): the server's JVM, and its embedded PostgreSQL (postmaster, its live "
                        + "children, and cutime + cstime of those it reaped), over each measurement phase **from its first "
                        + "planned send until the server was idle again** (≤ 10% of a core over 200 ms, at most "
                        + "--settle-seconds): the projection's catch-up is included, and so is what the idle server uses "
                        + "anyway (the \"idle\" column, from ")
                .append(r.settings().get("idleSeconds")).append(" s of the idle server after its warm-up). "
                        + "Divided by the alerts answered. Clock ticks are 10 ms.\n\n")
                .append("| target | alerts | window s | JVM µs/alert | PostgreSQL µs/alert | total µs/alert | of which idle "
                        + "| idle JVM ms/s | idle PostgreSQL ms/s | unsettled / projection-behind windows |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (TargetResult t : r.targets()) {
            CpuPerAlert c = t.cpu();
            IdleCpu i = t.idle();
            if (c == null) {
                md.append("| ").append(t.target()).append(" | n/a (not measured, or no /proc) |||||||||\n");
                continue;
            }
            md.append("| ").append(t.target()).append(" | ").append(c.alerts()).append(" | ").append(num(c.windowSeconds()))
                    .append(" | ").append(num(c.jvmMicrosPerAlert())).append(" | ").append(num(c.postgresMicrosPerAlert()))
                    .append(" | **").append(num(c.totalMicrosPerAlert())).append("** | ")
                    .append(c.idleMicrosPerAlert() == null ? "n/a" : num(c.idleMicrosPerAlert())).append(" | ")
                    .append(i == null ? "n/a" : num(i.jvmMillisPerSecond())).append(" | ")
                    .append(i == null ? "n/a" : num(i.postgresMillisPerSecond())).append(" | ")
                    .append(c.unsettledWindows()).append(" / ").append(c.projectionBehindWindows()).append(" of ")
                    .append(c.windows()).append(" |\n");
        }
    }

    private static void bursts(StringBuilder md, List<BurstResult> bursts) {
        BurstResult first = bursts.get(0);
        md.append("\n## Burst: ").append(first.alerts()).append(" alerts over ").append(num(first.seconds()))
                .append(" s from ").append(first.connections()).append(" keep-alive connections, then nothing\n\n")
                .append("Open-loop: alert i planned at start + i × ").append(num(first.seconds())).append(" s / ")
                .append(first.alerts()).append("; ack latency from that planned time. The connections are opened before "
                        + "the burst. \"Caught up\": the first /metrics scrape (every ").append(BurstRun.POLL_MILLIS)
                .append(" ms from the last answer on; none during the burst, a scrape costs the event loop milliseconds) "
                        + "showing tradeflow_projection_last_index = tradeflow_journal_last_index, timed from the burst's "
                        + "last planned send; \"lag\": records behind at the first scrape. CPU: JVM + PostgreSQL "
                        + "from the burst's start until the server was idle again, scrapes included. Targets: no answer "
                        + "other than 200, ack p99 ≤ ").append(num(BURST_ACK_P99_TARGET_MILLIS))
                .append(" ms, caught up ≤ ").append(num(BURST_CATCH_UP_TARGET_SECONDS)).append(" s.\n\n")
                .append("| target | answered | non-200 | unanswered | ack p50 ms | p90 ms | p99 ms | p99.9 ms | max ms "
                        + "| last ack, s after | projection | caught up, s after | lag at last ack | CPU µs/alert (JVM + PG) |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|\n");
        for (BurstResult b : bursts) {
            Latency l = b.ack();
            CpuPerAlert c = b.cpu();
            md.append("| ").append(b.target()).append(" | ").append(b.answered()).append(" | ").append(b.non200())
                    .append(b.non200() > 0 ? " " + b.statuses() : "").append(" | ").append(b.unanswered()).append(" | ")
                    .append(num(l.p50Micros() / 1000)).append(" | ").append(num(l.p90Micros() / 1000)).append(" | ")
                    .append(num(l.p99Micros() / 1000)).append(" | ").append(num(l.p999Micros() / 1000)).append(" | ")
                    .append(num(l.maxMicros() / 1000)).append(" | ").append(num(b.lastAckAfterBurstSeconds())).append(" | ")
                    .append(b.projection()).append(" | ")
                    .append(b.caughtUpSeconds() == null ? "" : num(b.caughtUpSeconds())).append(" | ")
                    .append(b.projection().startsWith("none") ? "" : Long.toString(b.projectionLagAtLastAck())).append(" | ")
                    .append(c == null ? "n/a" : num(c.totalMicrosPerAlert()) + " (" + num(c.jvmMicrosPerAlert()) + " + "
                            + num(c.postgresMicrosPerAlert()) + ")").append(" |\n");
        }
    }

    private static void ramp(StringBuilder md, LoadResults r) {
        md.append("\n## Ramp\n\nEach cell: p99 in ms, share not answered 200, whether the step passed "
                + "(↻: after a retry), and the server's CPU µs per alert over the step (settle included).\n\n");
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
                md.append(' ').append(s == null ? "" : String.format(Locale.ROOT, "%s ms, %s %s%s%s",
                        num(s.latency().p99Micros() / 1000), pct(s.errorRate()), s.passed() ? "✓" : "✗",
                        s.attempt() > 0 ? " ↻" : "", s.cpu() == null ? "" : ", " + num(s.cpu().totalMicrosPerAlert()) + " µs"))
                        .append(" |");
            }
            md.append('\n');
        });
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
