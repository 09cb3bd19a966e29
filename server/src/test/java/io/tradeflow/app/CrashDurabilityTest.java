package io.tradeflow.app;

import io.tradeflow.config.DatabaseConfig;
import io.tradeflow.config.JournalSync;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.journal.ChronicleJournal;
import io.tradeflow.core.journal.JournalReader;
import io.tradeflow.persistence.Database;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The launcher in a child JVM under open-loop load is SIGKILLed at random moments, six times,
 * and restarted on the same data directory each time; three more kills land at random moments of
 * a start-up. Each load kill lands mid-load: planned sends go on after it, and a burst of alerts
 * is sent just before it, so alerts are in flight (sent, not answered) at every kill; the test
 * checks both. An alert without an answer must have lost it to the kill (its failure came after
 * the kill began), and one sent after the process died must not be recorded. After every restart:
 * each alert answered
 * 200 is in the projection (so in the journal) with the answered order id, no alert is recorded
 * or ordered twice, and alerts cut off before their answer are recorded at most once and with a
 * final outcome. At the end the journal itself is read back: it holds every answered alert.
 *
 * <p>The database runs in this JVM, so it stays up while the router is killed: the router's
 * durability is what is tested (the embedded database's own crash recovery is in
 * {@code DatabaseLifecycleTest}).
 */
class CrashDurabilityTest {
    private static final int KILLS = 6;
    /** One alert every 4 ms, sent at its planned time whether or not earlier ones were answered. */
    private static final long SEND_INTERVAL_MICROS = 4_000;

    @TempDir
    Path dir;

    /** Start-up's log line naming where it began reading the journal (after a checkpoint when not 0). */
    private static final Pattern READ_AFTER = Pattern.compile("start-up: reading the journal after index (\\d+)");

    /** Alerts sent at once right before each kill, so some are surely in flight when it lands. */
    private static final int BURST = 8;

    /**
     * What the client saw for one alert: status 0 when no answer came (the process died); when it
     * was sent and when its answer or failure came ({@code System.nanoTime()}).
     */
    private record Sent(String clientId, int status, long journalIndex, long orderId, long sentAt, long doneAt) {
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldKeepEveryAnsweredAlertAndPlaceNoOrderTwiceAcrossSigkills() throws Exception {
        Path dataDir = dir.resolve("data");
        Random random = new Random(42);
        List<Sent> sent = new ArrayList<>();
        Map<Long, List<Sent>> killedAfter = new HashMap<>();
        try (Database database = Database.start(new DatabaseConfig("", "", "", 2), dir.resolve("db"))) {
            Path configFile = writeConfig(database);
            String key = null;
            int sequence = 0;
            int restartsFromACheckpoint = 0;
            for (int run = 0; run <= KILLS; run++) {
                if (run % 2 == 0 && run > 0) {
                    // Also a kill somewhere in start-up: JVM boot, database, journal replay or binding.
                    try (ChildTradeFlow starting = ChildTradeFlow.start(dataDir, configFile)) {
                        Thread.sleep(200 + random.nextInt(2500));
                        starting.kill();
                    }
                }
                try (ChildTradeFlow child = ChildTradeFlow.start(dataDir, configFile)) {
                    int port = child.awaitPort(120);
                    Matcher readAfter = READ_AFTER.matcher(child.output());
                    if (readAfter.find() && Long.parseLong(readAfter.group(1)) > 0) {
                        restartsFromACheckpoint++;
                    }
                    if (key == null) {
                        key = child.awaitDemoKey(10);
                    }
                    LoadClient client = new LoadClient(port, key);
                    // A marker after the restart: everything journaled before the kill comes before it.
                    Sent marker = client.sendAndWait("marker-" + run);
                    assertThat(marker.status()).as(child.output()).isEqualTo(200);
                    sent.add(marker);
                    verify(database.jdbi(), sent, marker.journalIndex());
                    verifyNothingSentToADeadProcessIsRecorded(database.jdbi(), killedAfter);

                    if (run == KILLS) {
                        child.stop();
                        break;
                    }
                    long loadMillis = 400 + random.nextInt(1200);
                    OpenLoop load = client.openLoop("a" + run + "-", sequence, loadMillis);
                    sequence += load.answers().size();
                    // Somewhere in the middle of the load, with a burst just sent.
                    Thread.sleep(loadMillis / 4 + random.nextInt((int) loadMillis / 2));
                    List<CompletableFuture<Sent>> burst = new ArrayList<>();
                    for (int b = 0; b < BURST; b++) {
                        burst.add(client.send("b" + run + "-" + b, b % 2 == 0 ? "buy" : "sell"));
                    }
                    long killStart = System.nanoTime();
                    child.kill();
                    long killEnd = System.nanoTime();
                    List<Sent> thisRun = new ArrayList<>();
                    for (CompletableFuture<Sent> answer : load.awaitAllSent()) {
                        thisRun.add(answer.get(30, TimeUnit.SECONDS));
                    }
                    for (CompletableFuture<Sent> answer : burst) {
                        thisRun.add(answer.get(30, TimeUnit.SECONDS));
                    }
                    checkTheKillLandedMidLoad(thisRun, killStart, killEnd);
                    sent.addAll(thisRun);
                    killedAfter.put(killEnd, thisRun);
                }
            }
            assertThat(sent.stream().filter(s -> s.status() == 200).count()).isGreaterThan(KILLS * 10L);
            assertThat(sent.stream().filter(s -> s.status() != 200 && s.status() != 0)).isEmpty();
            verifyJournal(dataDir.resolve("journal"), sent);
            // The checks above held across restarts that started from a checkpoint taken while running.
            assertThat(restartsFromACheckpoint).as("restarts that read the journal only after a running checkpoint")
                    .isGreaterThan(0);
        }
    }

    /**
     * The kill came in the middle of the load (alerts were sent before and after it), some alerts
     * were in flight at it (sent before, not answered before), an alert got no answer only because
     * of the kill (its failure came after the kill began), and nothing sent after the process died
     * was answered.
     */
    private static void checkTheKillLandedMidLoad(List<Sent> run, long killStart, long killEnd) {
        assertThat(run).as("alerts sent before the kill").anyMatch(s -> s.sentAt() < killStart);
        assertThat(run).as("alerts sent after the kill: it landed mid-load").anyMatch(s -> s.sentAt() > killEnd);
        assertThat(run).as("alerts in flight at the kill")
                .anyMatch(s -> s.sentAt() < killStart && (s.status() == 0 || s.doneAt() > killStart));
        for (Sent s : run) {
            if (s.status() == 0) {
                assertThat(s.doneAt()).as("%s lost its answer before the kill", s.clientId()).isGreaterThan(killStart);
            }
            if (s.sentAt() > killEnd) {
                assertThat(s.status()).as("%s was sent to a dead process", s.clientId()).isZero();
            }
        }
    }

    /** An alert sent after its process had died never reached a router: no restart may record it. */
    private static void verifyNothingSentToADeadProcessIsRecorded(Jdbi jdbi, Map<Long, List<Sent>> killedAfter) {
        Set<String> recorded = new HashSet<>(jdbi.withHandle(h -> h.createQuery("select client_id from intents")
                .mapTo(String.class).list()));
        killedAfter.forEach((killEnd, run) -> run.stream().filter(s -> s.sentAt() > killEnd)
                .forEach(s -> assertThat(recorded).as("sent after the kill").doesNotContain(s.clientId())));
    }

    private Path writeConfig(Database database) throws Exception {
        Path file = dir.resolve("tradeflow.conf");
        Files.writeString(file, String.join("\n",
                "http.host = \"127.0.0.1\"",
                "trial.max-trades = 1000000",
                "alerts.pyramiding = 100",
                "risk.rate-limit.per-window = 1000000",
                "database.url = \"" + database.jdbcUrl() + "\"",
                "database.user = \"postgres\"",
                "database.pool-size = 2",
                // Running checkpoints often enough that most restarts read the journal only after one.
                "journal.checkpoint-every = 300ms",
                ""));
        return file;
    }

    private record Row(String clientId, long journalIndex, String outcome, Long orderId) {
    }

    /** Checks the projection once it has applied everything up to {@code markerIndex}. */
    private static void verify(Jdbi jdbi, List<Sent> sent, long markerIndex) {
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbi.withHandle(h ->
                h.createQuery("select last_index from projection_state").mapTo(Long.class).one()) >= markerIndex);
        List<Row> rows = jdbi.withHandle(h -> h.createQuery(
                        "select client_id, journal_index, outcome, order_id from intents")
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getLong(2), rs.getString(3), (Long) rs.getObject(4)))
                .list());
        Map<String, Row> byClientId = new HashMap<>();
        for (Row row : rows) {
            assertThat(byClientId.put(row.clientId(), row)).as("alert %s recorded twice", row.clientId()).isNull();
            assertThat(row.outcome()).isIn("ACCEPTED");
        }
        for (Sent s : sent) {
            Row row = byClientId.get(s.clientId());
            if (s.status() == 200) {
                assertThat(row).as("answered alert %s is projected", s.clientId()).isNotNull();
                assertThat(row.journalIndex()).isEqualTo(s.journalIndex());
                assertThat(row.orderId()).isEqualTo(s.orderId());
            }
        }
        Set<String> sentIds = new HashSet<>();
        sent.forEach(s -> sentIds.add(s.clientId()));
        assertThat(sentIds).containsAll(byClientId.keySet());
        List<String> orderedTwice = jdbi.withHandle(h -> h.createQuery(
                        "select i.client_id from orders o join intents i on i.journal_index = o.journal_index"
                                + " group by i.client_id having count(*) > 1")
                .mapTo(String.class).list());
        assertThat(orderedTwice).isEmpty();
        long orders = jdbi.withHandle(h -> h.createQuery("select count(*) from orders").mapTo(Long.class).one());
        assertThat(orders).isEqualTo(rows.stream().filter(r -> r.orderId() != null).count());
    }

    /** Reads the journal itself: every answered alert is there, at the index it was answered with. */
    private static void verifyJournal(Path journalDir, List<Sent> sent) {
        Map<Long, String> journaled = new HashMap<>();
        try (ChronicleJournal journal = new ChronicleJournal(journalDir, JournalSync.NONE);
             JournalReader reader = journal.readerAfter(0)) {
            RingEvent e = new RingEvent();
            while (reader.next(e)) {
                if (e.type == EventType.INTENT) {
                    journaled.put(e.journalIndex, e.clientId.toString());
                }
            }
        }
        assertThat(journaled.values()).doesNotHaveDuplicates();
        for (Sent s : sent) {
            if (s.status() == 200) {
                assertThat(journaled.get(s.journalIndex())).isEqualTo(s.clientId());
            }
        }
    }

    /** An open loop under way: its answers, once every planned send has fired. */
    private record OpenLoop(List<CompletableFuture<Sent>> answers, CompletableFuture<?>[] scheduled,
                            ScheduledExecutorService timer) {
        List<CompletableFuture<Sent>> awaitAllSent() throws Exception {
            try {
                CompletableFuture.allOf(scheduled).get(60, TimeUnit.SECONDS);
            } finally {
                timer.shutdownNow();
            }
            return answers;
        }
    }

    /** Sends alerts at planned times on its own connections; each answer or failure is recorded. */
    private static final class LoadClient {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private final URI webhook;
        private final String key;

        LoadClient(int port, String key) {
            this.webhook = URI.create("http://127.0.0.1:" + port + "/api/unify/v1/webhook");
            this.key = key;
        }

        Sent sendAndWait(String clientId) throws Exception {
            return send(clientId, "buy").get(30, TimeUnit.SECONDS);
        }

        /** Starts sending one alert every {@link #SEND_INTERVAL_MICROS} for {@code durationMillis}; returns at once. */
        OpenLoop openLoop(String prefix, int firstSequence, long durationMillis) {
            List<CompletableFuture<Sent>> answers = new ArrayList<>();
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            long count = durationMillis * 1000 / SEND_INTERVAL_MICROS;
            CompletableFuture<?>[] scheduled = new CompletableFuture<?>[(int) count];
            for (int i = 0; i < count; i++) {
                int n = firstSequence + i;
                CompletableFuture<Sent> answer = new CompletableFuture<>();
                answers.add(answer);
                CompletableFuture<Void> fired = new CompletableFuture<>();
                scheduled[i] = fired;
                timer.schedule(() -> {
                    send(prefix + n, n % 2 == 0 ? "buy" : "sell").whenComplete((s, t) -> answer.complete(s));
                    fired.complete(null);
                }, i * SEND_INTERVAL_MICROS, TimeUnit.MICROSECONDS);
            }
            return new OpenLoop(answers, scheduled, timer);
        }

        CompletableFuture<Sent> send(String clientId, String side) {
            String body = "{\"version\":\"unify.v1\",\"id\":\"" + clientId + "\",\"intent\":{\"action\":\"open\",\"side\":\""
                    + side + "\",\"type\":\"market\",\"symbol\":\"EURUSD\",\"qty\":1,\"price\":1.1}}";
            HttpRequest request = HttpRequest.newBuilder(webhook)
                    .timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            long sentAt = System.nanoTime();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .handle((response, failure) -> failure != null
                            ? new Sent(clientId, 0, 0, 0, sentAt, System.nanoTime())
                            : new Sent(clientId, response.statusCode(), index(response.body(), "intent_id\":\"int_"),
                                    index(response.body(), "order_id\":\"ord_"), sentAt, System.nanoTime()));
        }

        private static long index(String body, String prefix) {
            int at = body.indexOf(prefix);
            if (at < 0) {
                return 0;
            }
            int start = at + prefix.length();
            int end = start;
            while (end < body.length() && Character.isDigit(body.charAt(end))) {
                end++;
            }
            return Long.parseLong(body.substring(start, end));
        }
    }
}
