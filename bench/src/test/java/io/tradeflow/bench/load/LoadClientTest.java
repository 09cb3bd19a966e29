package io.tradeflow.bench.load;

import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The load client against the in-process bare server: every planned request is sent and answered. */
class LoadClientTest {
    private BareNettyServer server;
    private EventLoopGroup group;

    @BeforeEach
    void start() throws InterruptedException {
        server = BareNettyServer.start(0);
        group = LoadClient.newEventLoopGroup();
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        server.close();
    }

    private static String request(String path) {
        String body = "{\"version\":\"unify.v1\"}";
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
    }

    @Test
    void shouldSendEveryPlannedRequestAndRecordEachAnswer() throws Exception {
        try (LoadClient client = new LoadClient(group.next(), "127.0.0.1", server.port(), 4,
                List.of(request("/api/unify/v1/webhook?key=a"), request("/api/unify/v1/webhook?key=b")))) {
            client.connect(5_000);

            PhaseResult r = client.run(1_000, 300_000_000L, 100_000_000L, 5_000_000_000L);

            assertThat(r.planned()).isEqualTo(300);
            assertThat(r.answered()).isEqualTo(300);
            assertThat(r.failed()).isZero();
            assertThat(r.statuses()).containsOnlyKeys(200);
            assertThat(r.latency().getTotalCount()).as("only requests after the warm-up").isEqualTo(200);
            assertThat(r.errorRate()).isZero();
        }
    }

    @Test
    void shouldCountOtherStatusesAsNon200() throws Exception {
        try (LoadClient client = new LoadClient(group.next(), "127.0.0.1", server.port(), 2,
                List.of(request("/api/unify/v1/webhook"), request("/nowhere")))) {
            client.connect(5_000);

            PhaseResult r = client.run(500, 100_000_000L, 0, 5_000_000_000L);

            assertThat(r.planned()).isEqualTo(50);
            assertThat(r.statuses()).containsEntry(200, 25L).containsEntry(404, 25L);
            assertThat(r.non200Rate()).isEqualTo(0.5);
        }
    }
}
