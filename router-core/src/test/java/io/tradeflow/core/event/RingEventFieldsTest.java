package io.tradeflow.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.CidrBlock;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.testing.RingEventFields;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every field of {@link RingEvent}, found by reflection, is cleared by {@code reset()} and copied by
 * {@code copyFrom()}: a field added later without either fails here, by name, instead of leaking one
 * alert's value into the next event that reuses the slot.
 */
final class RingEventFieldsTest {
    private static final Reply REPLY = decided -> { };

    @Test
    void shouldClearEveryFieldOnReset() {
        RingEvent fresh = new RingEvent();
        RingEvent used = filled();

        used.reset();

        assertThat(differingFields(used, fresh)).as("fields reset() leaves as they were").isEmpty();
    }

    @Test
    void shouldCopyEveryField() {
        RingEvent source = filled();
        RingEvent copy = new RingEvent();

        copy.copyFrom(source);

        assertThat(differingFields(copy, source)).as("fields copyFrom() does not copy").isEmpty();
    }

    @Test
    void shouldFillEveryFieldWithAValueOtherThanItsDefault() {
        // Guards the two tests above: a field this test cannot fill would prove nothing there.
        assertThat(differingFields(filled(), new RingEvent())).containsExactlyInAnyOrderElementsOf(
                RingEventFields.all().stream().map(Field::getName).toList());
    }

    private static List<String> differingFields(RingEvent a, RingEvent b) {
        List<String> differing = new ArrayList<>();
        for (Field f : RingEventFields.all()) {
            String left = RingEventFields.render(RingEventFields.get(f, a));
            String right = RingEventFields.render(RingEventFields.get(f, b));
            if (f.getType() == Reply.class) {
                left = String.valueOf(RingEventFields.get(f, a) == REPLY);
                right = String.valueOf(RingEventFields.get(f, b) == REPLY);
            }
            if (!left.equals(right)) {
                differing.add(f.getName());
            }
        }
        return differing;
    }

    /** An event whose every field holds something other than a fresh event's value. */
    private static RingEvent filled() {
        RingEvent e = new RingEvent();
        for (Field f : RingEventFields.all()) {
            try {
                fill(e, f);
            } catch (IllegalAccessException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return e;
    }

    private static void fill(RingEvent e, Field f) throws IllegalAccessException {
        Class<?> type = f.getType();
        Object current = f.get(e);
        if (type == byte[].class) {
            byte[] bytes = (byte[]) current;
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (i + 1);
            }
        } else if (type == int[].class) {
            int[] ints = (int[]) current;
            for (int i = 0; i < ints.length; i++) {
                ints[i] = i + 1;
            }
        } else if (type == AsciiField.class) {
            ((AsciiField) current).set("X");
        } else if (Modifier.isFinal(f.getModifiers())) {
            throw new IllegalStateException("don't know how to fill final field " + f.getName() + " of " + type);
        } else if (type == long.class) {
            f.setLong(e, 7);
        } else if (type == int.class) {
            f.setInt(e, 7);
        } else if (type == double.class) {
            f.setDouble(e, 7.5);
        } else if (type == boolean.class) {
            f.setBoolean(e, true);
        } else if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            f.set(e, current == constants[constants.length - 1] ? constants[0] : constants[constants.length - 1]);
        } else if (type == String.class) {
            f.set(e, "text");
        } else if (type == Reply.class) {
            f.set(e, REPLY);
        } else if (type == RiskLimits.class) {
            f.set(e, new RiskLimits(5, 250.5, 3, "22:00-04:00", ZoneId.of("UTC"), List.of("EURUSD"), 7,
                    Duration.ofSeconds(30)));
        } else if (type == AlertSettings.class) {
            f.set(e, new AlertSettings(3, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofHours(2),
                    Map.of("NQ1!", "MNQ"), ".m"));
        } else if (type == CopyLink.class) {
            f.set(e, new CopyLink(3, 4, 5, 6, SizeMode.PERCENT_EQUITY, 1.5, true, Map.of("NQ1!", "MNQ")));
        } else if (type == List.class) {
            f.set(e, List.of(CidrBlock.parse("10.0.0.0/8").orElseThrow()));
        } else {
            throw new IllegalStateException("don't know how to fill field " + f.getName() + " of " + type
                    + ": teach RingEventFieldsTest.fill");
        }
    }
}
