package io.tradeflow.http.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.ReportKind;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.stage.DispatchStage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which messages each kind of decision makes, and the fields a client reads from them. */
class LiveMessagesTest {
    private final LiveMessages messages = new LiveMessages(10_000);

    private static RingEvent event(EventType type) {
        RingEvent e = new RingEvent().begin(type, 1_700_000_000_000L, 1L);
        e.accountId = 3;
        e.userId = 9;
        e.journalIndex = 77;
        e.symbol.set("EURUSD");
        e.side = Side.BUY;
        e.quantity = 2;
        e.orderId = 12;
        return e;
    }

    private static List<String> types(List<ObjectNode> out) {
        return out.stream().map(m -> m.path("type").asText()).toList();
    }

    @Test
    void shouldSendAnOrderSubmittedToABrokerWithoutAFillThenItsFillFromTheReport() {
        RingEvent submitted = event(EventType.INTENT);
        submitted.outcome = Outcome.ACCEPTED;
        submitted.reason = DispatchStage.SUBMITTED;
        List<ObjectNode> out = messages.of(submitted);
        assertThat(types(out)).containsExactly("alert_decided", "order_update");
        assertThat(out.get(1).path("data").path("status").asText()).isEqualTo("submitted");
        assertThat(out.get(1).path("data").path("fill_price").isNull()).isTrue();

        RingEvent filled = event(EventType.BROKER_REPORT);
        filled.reportKind = ReportKind.FILLED;
        filled.outcome = Outcome.ACCEPTED;
        filled.filledQuantity = 2;
        filled.fillPrice = 1.1;
        filled.positionQuantity = 2;
        filled.positionAveragePrice = 1.1;
        filled.brokerOrderId.set("B-1");
        out = messages.of(filled);
        assertThat(types(out)).containsExactly("order_update", "position_update", "pnl_update", "balance_update");
        assertThat(out.get(0).path("data").path("broker_order_id").asText()).isEqualTo("B-1");
        assertThat(out.get(0).path("data").path("id").asText()).isEqualTo("ord_12");
        assertThat(out.get(1).path("data").path("side").asText()).isEqualTo("long");
        assertThat(out.get(3).path("data").path("balance").isNull()).as("a broker's balance is the broker's").isTrue();
    }

    @Test
    void shouldSendABrokersRefusalAsARejectedOrder() {
        RingEvent refused = event(EventType.BROKER_REPORT);
        refused.reportKind = ReportKind.REJECTED;
        refused.outcome = Outcome.BROKER_ERROR;
        refused.reason = "market closed";
        List<ObjectNode> out = messages.of(refused);
        assertThat(types(out)).containsExactly("order_update");
        assertThat(out.get(0).path("data").path("status").asText()).isEqualTo("rejected");
        assertThat(out.get(0).path("data").path("reason").asText()).isEqualTo("market closed");
    }

    @Test
    void shouldSendAPaperFillSetOffByAPriceWithThePaperBalance() {
        RingEvent triggered = event(EventType.TRIGGERED);
        triggered.outcome = Outcome.ACCEPTED;
        triggered.filledQuantity = -2;
        triggered.fillPrice = 1.2;
        triggered.realizedPnl = 0.2;
        triggered.accountRealizedPnl = 150;
        List<ObjectNode> out = messages.of(triggered);
        assertThat(types(out)).containsExactly("order_update", "position_update", "pnl_update", "balance_update");
        assertThat(out.get(0).path("data").path("side").asText()).isEqualTo("sell");
        assertThat(out.get(1).path("data").path("side").asText()).isEqualTo("flat");
        assertThat(out.get(2).path("data").path("realized_pnl").asDouble()).isEqualTo(0.2);
        assertThat(out.get(3).path("data").path("balance").asDouble()).isEqualTo(10_150.0);
        assertThat(out.get(0).path("at").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(out.get(0).path("journal_index").asLong()).isEqualTo(77);
    }
}
