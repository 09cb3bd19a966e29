package io.tradeflow.core.state;

import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The idempotency answers of a {@link ReplayCheckpoint}: the bulk of it (a million and more when a day's
 * alerts carry keys), so each answer is written as fixed-width numbers and two short ASCII fields, and read
 * back with no object but the answer itself (its text goes into the index's slab).
 *
 * <p>The section is: the newest remembered time; the outcome names, in the order of the byte each answer's
 * outcome is written as (so a reordered {@link Outcome} still reads right); the distinct reasons and fields
 * (a few constant strings and some that carry numbers), each answer's as an index into them, -1 for null, so
 * all answers with the same reason share one String again; then the answers, oldest first. Per answer:
 * account, body hash, expiry, journal index, order id (longs); outcome (byte); reason, field (ints); fill
 * price, filled, position quantity, stop loss, take profit, pending quantity (doubles, exact bits); client id
 * and symbol (length byte and ASCII bytes).
 */
final class AnswerCodec {
    private static final int NULL = -1;
    /** The fixed part of an answer: five longs, a byte, two ints and six doubles, then two length bytes at least. */
    private static final int MIN_ANSWER_BYTES = 5 * Long.BYTES + 1 + 2 * Integer.BYTES + 6 * Double.BYTES + 2;

    private AnswerCodec() {
    }

    static void write(IdempotencyIndex idempotency, CheckpointOutput out) throws IOException {
        out.putLong(idempotency.latestMillis());
        Outcome[] outcomes = Outcome.values();
        out.putInt(outcomes.length);
        for (Outcome outcome : outcomes) {
            out.putString(outcome.name());
        }
        List<IdempotencyIndex.Answer> answers = new ArrayList<>();
        idempotency.forEachLive(answers::add);
        Map<String, Integer> indexes = new HashMap<>();
        List<String> strings = new ArrayList<>();
        for (IdempotencyIndex.Answer a : answers) {
            index(a.reason, indexes, strings);
            index(a.field, indexes, strings);
        }
        out.putInt(strings.size());
        for (String s : strings) {
            out.putString(s);
        }
        out.putInt(answers.size());
        for (IdempotencyIndex.Answer a : answers) {
            out.putLong(a.accountId);
            out.putLong(a.bodyHash);
            out.putLong(a.expiresAtMillis);
            out.putLong(a.journalIndex);
            out.putLong(a.orderId);
            out.putByte(a.outcome.ordinal());
            out.putInt(a.reason == null ? NULL : indexes.get(a.reason));
            out.putInt(a.field == null ? NULL : indexes.get(a.field));
            out.putDouble(a.fillPrice);
            out.putDouble(a.filledQuantity);
            out.putDouble(a.positionQuantity);
            out.putDouble(a.positionStopLoss);
            out.putDouble(a.positionTakeProfit);
            out.putDouble(a.pendingQuantity);
            out.putAscii(a.text, a.clientIdAt(), a.clientIdLength);
            out.putAscii(a.text, a.symbolAt(), a.symbolLength);
        }
    }

    /** Restores the answers of accounts {@code state} holds (as a journal replay does: a deleted account's keys are revoked). */
    static void read(CheckpointInput in, RouterState state) throws IOException {
        IdempotencyIndex idempotency = state.idempotency();
        long latest = in.readLong();
        Outcome[] outcomes = new Outcome[in.readCount(Integer.BYTES)];
        for (int i = 0; i < outcomes.length; i++) {
            String name = in.readString();
            try {
                outcomes[i] = Outcome.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new IOException("an answer's outcome " + name + " is not one this version knows", e);
            }
        }
        String[] strings = new String[in.readCount(Integer.BYTES)];
        for (int i = 0; i < strings.length; i++) {
            strings[i] = in.readString();
        }
        int count = in.readCount(MIN_ANSWER_BYTES);
        IdempotencyIndex.Answer[] kept = new IdempotencyIndex.Answer[count];
        int keeping = 0;
        for (int i = 0; i < count; i++) {
            IdempotencyIndex.Answer a = idempotency.newAnswer();
            a.accountId = in.readLong();
            a.bodyHash = in.readLong();
            a.expiresAtMillis = in.readLong();
            a.journalIndex = in.readLong();
            a.orderId = in.readLong();
            a.outcome = lookUp(outcomes, in.readByte() & 0xFF, "outcome");
            a.reason = string(strings, in.readInt());
            a.field = string(strings, in.readInt());
            a.fillPrice = in.readDouble();
            a.filledQuantity = in.readDouble();
            a.positionQuantity = in.readDouble();
            a.positionStopLoss = in.readDouble();
            a.positionTakeProfit = in.readDouble();
            a.pendingQuantity = in.readDouble();
            a.clientIdLength = in.readAscii(a.text, a.clientIdAt(), RingEvent.CLIENT_ID_CAPACITY);
            a.symbolLength = in.readAscii(a.text, a.symbolAt(), RingEvent.SYMBOL_CAPACITY);
            if (state.account(a.accountId) != null) {
                kept[keeping++] = a;
            }
        }
        idempotency.restore(kept, keeping);
        idempotency.restoreLatest(latest);
    }

    private static void index(String value, Map<String, Integer> indexes, List<String> strings) {
        if (value != null && indexes.putIfAbsent(value, strings.size()) == null) {
            strings.add(value);
        }
    }

    private static String string(String[] strings, int index) throws IOException {
        return index == NULL ? null : lookUp(strings, index, "reason or field");
    }

    private static <T> T lookUp(T[] table, int index, String what) throws IOException {
        if (index < 0 || index >= table.length) {
            throw new IOException("an answer's " + what + " " + index + " is not in the checkpoint's " + table.length);
        }
        return table[index];
    }
}
