package io.tradeflow.core.alert;

import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Hostile bodies for the unify.v1 parser: random mutations of valid alerts (flipped, inserted,
 * deleted and duplicated bytes, truncation), invalid UTF-8, deep nesting, huge numbers and long
 * strings. Whatever the input, the parser must return (never throw) with either a complete,
 * finite intent or an {@code INVALID_PAYLOAD} refusal naming a field — the refusal the client
 * gets as a 400, never a 500. The seed is fixed, so a failure names an input that reproduces.
 */
final class UnifyAlertParserFuzzTest {
    private static final int MUTATIONS = 20_000;
    private static final List<String> SEEDS = List.of(
            "{\"version\":\"unify.v1\",\"id\":\"EURUSD-1\",\"ts\":\"2026-11-23T14:00:00Z\",\"intent\":{\"broker\":\"paper\","
                    + "\"action\":\"open\",\"side\":\"buy\",\"type\":\"market\",\"symbol\":\"EURUSD\",\"qty\":1,\"price\":1.0854,"
                    + "\"sl\":{\"mode\":\"price\",\"value\":1.0850},\"tp\":{\"mode\":\"rr\",\"value\":2.0}},\"user_context\":{}}",
            "{\"intent\":{\"action\":\"close\",\"symbol\":\"XAUUSD\"},\"api_key\":\"tf_abcdefghijklmnopqrstuvwxyz012345\"}",
            "{\"version\":\"unify.v1\",\"ts\":1763906400,\"intent\":{\"side\":\"sell\",\"symbol\":\"NAS100\",\"qty\":\"2.5\","
                    + "\"price\":\"21000.25\"}}\n",
            "{\"intent\":{\"action\":\"reverse\",\"side\":\"long\",\"symbol\":\"BTCUSD\",\"qty\":0.01,\"tp\":{\"mode\":\"pips\",\"value\":\"15\"}}}");
    /** Fragments that tend to break parsers: structure, escapes, numbers at the edges, invalid UTF-8. */
    private static final byte[][] FRAGMENTS = {
            bytes("{"), bytes("}"), bytes("["), bytes("]"), bytes("\""), bytes("\\"), bytes(":"), bytes(","),
            bytes("\\u0000"), bytes("\\ud800"), bytes("null"), bytes("true"), bytes("-"), bytes("1e999999"),
            bytes("-1e-999999"), bytes("NaN"), bytes("Infinity"), bytes("9".repeat(400)), bytes("0x1F"), bytes("1.7976931348623157E309"),
            {(byte) 0xC3, (byte) 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, 0x01},
            {0}, bytes("\r\n"), bytes("\"intent\":"), bytes("\"qty\":"), bytes("\"price\":"), bytes("\"symbol\":")};

    private final UnifyAlertParser parser = new UnifyAlertParser(new KeyHasher());

    @Test
    void shouldRefuseOrAcceptEveryMutatedAlertWithoutThrowing() {
        Random random = new Random(20261123L);
        RingEvent reused = new RingEvent();
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] input = mutate(bytes(SEEDS.get(random.nextInt(SEEDS.size()))), random);
            RingEvent fresh = new RingEvent();
            check(input, fresh);
            reused.reset();
            check(input, reused);
            // Same bytes, same verdict: nothing from an earlier alert leaks into the next one.
            assertThat(reused.outcome).as(describe(input)).isEqualTo(fresh.outcome);
            assertThat(reused.field).as(describe(input)).isEqualTo(fresh.field);
        }
    }

    @Test
    void shouldRefuseHostileShapesWithAFieldNamingWhereTheyBroke() {
        List<byte[]> hostile = new ArrayList<>();
        hostile.add(bytes("[".repeat(100_000)));
        hostile.add(bytes("{\"intent\":" + "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000) + "}"));
        hostile.add(bytes("{\"intent\":{\"symbol\":\"EURUSD\",\"side\":\"buy\",\"qty\":" + "9".repeat(60_000) + "}}"));
        hostile.add(bytes("{\"intent\":{\"symbol\":\"EURUSD\",\"side\":\"buy\",\"qty\":1e400}}"));
        hostile.add(bytes("{\"intent\":{\"symbol\":\"EURUSD\",\"side\":\"buy\",\"qty\":\"1e400\"}}"));
        hostile.add(bytes("{\"intent\":{\"symbol\":\"EURUSD\",\"side\":\"buy\",\"qty\":1,\"price\":-1e308}}"));
        hostile.add(bytes("{\"intent\":{\"symbol\":\"" + "A".repeat(60_000) + "\",\"side\":\"buy\",\"qty\":1}}"));
        hostile.add(bytes("{\"id\":\"" + "\\u0041".repeat(10_000) + "\",\"intent\":{}}"));
        hostile.add(concat(bytes("{\"intent\":{\"symbol\":\"EUR"), new byte[]{(byte) 0xC3, (byte) 0x28}, bytes("\",\"side\":\"buy\",\"qty\":1}}")));
        hostile.add(concat(bytes("{\"intent\":{\"symbol\":\"EUR"), new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                bytes("\",\"side\":\"buy\",\"qty\":1}}")));
        hostile.add(bytes("{\"intent\":{\"symbol\":\"EURUSD\",\"side\":\"buy\",\"qty\":1}}{\"intent\":{}}"));
        hostile.add(bytes("{\"intent\":{\"symbol\":\"EURUSD\",\"side\":\"buy\",\"qty\":1,\"qty\":-1}}"));
        hostile.add(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'});
        hostile.add(new byte[]{0, 0, 0, '{'});
        for (byte[] input : hostile) {
            RingEvent e = new RingEvent();
            check(input, e);
            assertThat(e.outcome).as(describe(input)).isEqualTo(Outcome.INVALID_PAYLOAD);
        }
    }

    /** The parser's contract for any input. */
    private void check(byte[] input, RingEvent e) {
        try {
            parser.parse(input, 0, input.length, e);
        } catch (RuntimeException | StackOverflowError ex) {
            fail("the parser threw on " + describe(input), ex);
        }
        if (e.outcome == Outcome.PENDING) {
            assertThat(e.symbol.length()).as(describe(input)).isPositive();
            assertThat(Double.isFinite(e.quantity) && e.quantity >= 0).as(describe(input)).isTrue();
            assertThat(Double.isFinite(e.price) && e.price >= 0).as(describe(input)).isTrue();
            assertThat(Double.isFinite(e.stopLossValue) && Double.isFinite(e.takeProfitValue)).as(describe(input)).isTrue();
        } else {
            assertThat(e.outcome).as(describe(input)).isIn(Outcome.INVALID_PAYLOAD, Outcome.UNAUTHORIZED);
            assertThat(e.field).as(describe(input)).isNotBlank();
            assertThat(e.reason).as(describe(input)).isNotBlank();
        }
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] current = seed;
        int edits = 1 + random.nextInt(4);
        for (int k = 0; k < edits; k++) {
            int at = current.length == 0 ? 0 : random.nextInt(current.length);
            switch (random.nextInt(6)) {
                case 0 -> {
                    current = current.clone();
                    if (current.length > 0) {
                        current[at] = (byte) random.nextInt(256);
                    }
                }
                case 1 -> current = splice(current, at, at, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
                case 2 -> current = splice(current, at, Math.min(current.length, at + 1 + random.nextInt(8)), new byte[0]);
                case 3 -> current = java.util.Arrays.copyOf(current, at);
                case 4 -> {
                    int end = Math.min(current.length, at + 1 + random.nextInt(24));
                    current = splice(current, at, at, java.util.Arrays.copyOfRange(current, at, end));
                }
                default -> current = splice(current, at, at, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
            }
        }
        return current;
    }

    private static byte[] splice(byte[] source, int from, int to, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(source.length + insert.length);
        out.write(source, 0, from);
        out.write(insert, 0, insert.length);
        out.write(source, to, source.length - to);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(byte[] input) {
        String shown = input.length > 300 ? new String(input, 0, 300, StandardCharsets.ISO_8859_1) + "…(" + input.length + " bytes)"
                : new String(input, StandardCharsets.ISO_8859_1);
        return "input " + shown + " [base64 " + Base64.getEncoder().encodeToString(input.length > 300
                ? java.util.Arrays.copyOf(input, 300) : input) + "]";
    }
}
