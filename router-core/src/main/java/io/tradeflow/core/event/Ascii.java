package io.tradeflow.core.event;

/** Allocation-free helpers for short ASCII tokens (field values, enum names). */
public final class Ascii {
    private Ascii() {
    }

    public static boolean equalsIgnoreCase(CharSequence a, String b) {
        if (a == null || a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < b.length(); i++) {
            if (toLower(a.charAt(i)) != toLower(b.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public static boolean equalsIgnoreCase(char[] chars, int offset, int length, String expected) {
        if (length != expected.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (toLower(chars[offset + i]) != toLower(expected.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public static char toLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    public static char toUpper(char c) {
        return c >= 'a' && c <= 'z' ? (char) (c - 32) : c;
    }
}
