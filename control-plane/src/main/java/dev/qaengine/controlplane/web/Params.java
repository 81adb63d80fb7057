package dev.qaengine.controlplane.web;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Query parameters of the list endpoints. */
public final class Params {
    private Params() {
    }

    /** An empty or blank filter parameter means no filter ({@code ?name=} lists everything). */
    public static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /**
     * A point in time as epoch milliseconds: the parameter is either epoch ms ({@code 1764300000000}) or an
     * ISO-8601 date-time with {@code Z} or an offset ({@code 2026-11-28T09:00:00Z}, {@code 2026-11-28T17:00:00+08:00}).
     * Null when absent or blank; anything else is a 400 naming the parameter. An unencoded {@code +} of an
     * offset arrives as a space (form decoding of the query string) and is read as the {@code +} it was.
     */
    public static Long epochMillis(String name, String value) {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        v = v.strip();
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (v.length() <= 15) { // up to the year 33658: no overflow, no surprise
                return Long.parseLong(v);
            }
        } else {
            String iso = v.replace(' ', '+');
            try {
                return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException ignored) {
                // answered below
            }
            try {
                return Instant.parse(iso).toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException ignored) {
                // answered below
            }
        }
        throw ApiException.field(ProblemCode.BAD_PARAMETER, name,
                "'" + clip(value) + "' is neither epoch milliseconds nor an ISO-8601 date-time with an offset (2026-11-28T09:00:00Z)");
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
