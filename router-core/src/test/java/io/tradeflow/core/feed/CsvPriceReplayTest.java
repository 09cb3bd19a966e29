package io.tradeflow.core.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV price replay: ISO and epoch-millisecond times, a header, comments, and bad lines skipped with their count. */
final class CsvPriceReplayTest {
    @TempDir
    Path dir;

    private Path csv(String... lines) throws IOException {
        return Files.write(dir.resolve("prices.csv"), List.of(lines));
    }

    @Test
    void shouldPublishEveryGoodLineInOrderAndSkipTheHeaderCommentsBlankAndMalformedLines() throws IOException {
        Path file = csv(
                "timestamp,symbol,price",
                "# London open",
                "2026-11-23T08:00:00Z,EURUSD,1.0850",
                "",
                "1795420800500, GBPUSD ,1.2650",
                "2026-11-23T08:00:01Z,EURUSD",
                "yesterday,EURUSD,1.0851",
                "2026-11-23T08:00:02Z,EURUSD,-1",
                "2026-11-23T08:00:03Z,EURUSD,abc",
                "2026-11-23T08:00:04Z,,1.0852",
                "2026-11-23T08:00:05Z,EURUSD,1.0853");
        List<String> got = new ArrayList<>();

        CsvPriceReplay replay = new CsvPriceReplay(file, 0);
        int published = replay.replay((symbol, price) -> got.add(symbol + " " + price));

        assertThat(got).containsExactly("EURUSD 1.085", "GBPUSD 1.265", "EURUSD 1.0853");
        assertThat(published).isEqualTo(3);
        assertThat(replay.malformedLines()).as("lines 6 to 10").isEqualTo(5);
    }

    @Test
    void shouldCountMalformedLinesAndStopWhenTheSinkIsClosed() throws IOException, InterruptedException {
        Path file = csv("2026-11-23T08:00:00Z,EURUSD,1.0850", "not,a,line,at all", "2026-11-23T08:00:01Z,EURUSD,1.0851",
                "2026-11-23T08:00:02Z,EURUSD,1.0852");
        List<Double> got = new ArrayList<>();
        try (CsvPriceReplay replay = new CsvPriceReplay(file, 0)) {
            replay.start((symbol, price) -> {
                got.add(price);
                return got.size() < 2;
            });

            assertThat(replay.awaitDone(10, TimeUnit.SECONDS)).isTrue();
            assertThat(replay.malformedLines()).isEqualTo(1);
            assertThat(replay.published()).as("the sink refused the second price").isEqualTo(1);
        }
        assertThat(got).containsExactly(1.0850, 1.0851);
    }

    @Test
    void shouldTreatOnlyTheFirstLineAsAHeader() throws IOException {
        Path file = csv("2026-11-23T08:00:00Z,EURUSD,1.0850", "time,symbol,price");
        CsvPriceReplay replay = new CsvPriceReplay(file, 0);

        assertThat(replay.replay((symbol, price) -> true)).isEqualTo(1);
        assertThat(replay.malformedLines()).isEqualTo(1);
    }

    @Test
    void shouldRefuseANegativeSpeed() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CsvPriceReplay(dir.resolve("x.csv"), -1));
    }
}
