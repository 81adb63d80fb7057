package dev.qaengine.controlplane.web;

import java.util.ArrayList;
import java.util.List;
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

    /** A WHERE clause built from optional filters, with its positional arguments. */
    public static final class Where {
        private final StringBuilder sql = new StringBuilder();
        private final List<Object> args = new ArrayList<>();

        public Where and(String condition, Object arg) {
            sql.append(sql.isEmpty() ? " where " : " and ").append(condition);
            args.add(arg);
            return this;
        }

        /** The column contains the text, case-insensitively (see {@link #containsPattern}). */
        public Where andContains(String column, String text) {
            return and("lower(" + column + ") like ? escape '\\'", containsPattern(text));
        }

        /** Empty, or {@code " where ..."}. */
        public String sql() {
            return sql.toString();
        }

        public List<Object> args() {
            return args;
        }
    }
}
