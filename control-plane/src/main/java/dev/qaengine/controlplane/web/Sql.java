package dev.qaengine.controlplane.web;

import java.util.Locale;

/** Small helpers for the hand-written SQL, which must run unchanged on PostgreSQL and H2 (PostgreSQL mode). */
public final class Sql {
    private Sql() {
    }

    /** A case-insensitive "contains" pattern for {@code lower(col) like ? escape '\'}; user wildcards match literally. */
    public static String containsPattern(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(lower.length() + 2).append('%');
        for (char c : lower.toCharArray()) {
            if (c == '%' || c == '_' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('%').toString();
    }
}
