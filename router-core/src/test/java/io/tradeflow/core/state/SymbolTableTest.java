package io.tradeflow.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeflow.core.event.AsciiField;
import io.tradeflow.core.event.RingEvent;
import org.junit.jupiter.api.Test;

/** Symbol interning: stable ids through array growth (past 64) and slot rehashing (past 128). */
final class SymbolTableTest {
    private final SymbolTable table = new SymbolTable();

    private static AsciiField field(String symbol) {
        AsciiField f = new AsciiField(RingEvent.SYMBOL_CAPACITY);
        f.set(symbol);
        return f;
    }

    @Test
    void shouldGiveTheSameIdToTheSameSymbol() {
        int eurusd = table.intern(field("EURUSD"));
        int gbpusd = table.intern("GBPUSD");

        assertThat(table.intern("EURUSD")).isEqualTo(eurusd);
        assertThat(table.intern(field("GBPUSD"))).isEqualTo(gbpusd);
        assertThat(eurusd).isNotEqualTo(gbpusd);
        assertThat(table.intern("eurusd")).as("ids are byte-exact; the parser upper-cases").isNotEqualTo(eurusd);
        assertThat(table.size()).isEqualTo(3);
        assertThat(table.name(eurusd)).isEqualTo("EURUSD");
    }

    @Test
    void shouldKeepIdsNamesAndPricesWhileGrowingAndRehashing() {
        int count = 1_000;
        for (int i = 0; i < count; i++) {
            int id = table.intern(field("SYM" + i));
            assertThat(id).isEqualTo(i);
            table.lastPrice(id, i + 0.5);
        }

        assertThat(table.size()).isEqualTo(count);
        for (int i = 0; i < count; i++) {
            assertThat(table.intern(field("SYM" + i))).as("SYM%d", i).isEqualTo(i);
            assertThat(table.name(i)).isEqualTo("SYM" + i);
            assertThat(table.lastPrice(i)).isEqualTo(i + 0.5);
        }
        assertThat(table.size()).as("lookups do not intern again").isEqualTo(count);
    }

    @Test
    void shouldKeepAFieldsIdWhenTheFieldIsReusedForAnotherSymbol() {
        AsciiField reused = field("EURUSD");
        int first = table.intern(reused);
        reused.set("NQ1!");
        int second = table.intern(reused);

        assertThat(second).isNotEqualTo(first);
        assertThat(table.name(first)).isEqualTo("EURUSD");
        assertThat(table.intern("EURUSD")).isEqualTo(first);
    }

    @Test
    void shouldStartWithNoPrice() {
        int id = table.intern("XAUUSD");

        assertThat(table.lastPrice(id)).isZero();
    }
}
