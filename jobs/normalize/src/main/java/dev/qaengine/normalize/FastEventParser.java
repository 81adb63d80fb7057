package dev.qaengine.normalize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The common case of {@link EventParser}, over the record's bytes directly: an event message object (or
 * an array of them) with the known fields, string and number values without escape sequences, a flat
 * {@code extendAttributes} object, unknown fields with scalar values. It <em>declines</em> (returns
 * {@code null}) on anything else — escapes, nested values it does not expect, control characters, any
 * byte sequence that is not strictly well-formed UTF-8, a number it cannot judge at a glance, and every
 * message that would be rejected while being read (wrong type, too long, duplicate attribute …) — and
 * {@link EventParser} then parses the record with Jackson, so the outcome on unusual input is the
 * Jackson path's by construction. What it accepts it turns into exactly the elements the Jackson path
 * yields (EventParserDifferentialTest holds it to that). Missing fields and the event-time range are judged
 * by the same code as on the Jackson path.
 *
 * <p>Jackson's streaming parser spent most of its time canonicalizing field names and tracking
 * locations; this one compares names as bytes and makes no strings at all: the elements it yields are
 * {@link RawElement#lazy}, their strings stay in the record's bytes ({@link RawElement#spans}) for the
 * shuffle to ship and the operator to decode. Not thread-safe.
 */
final class FastEventParser {
    private static final byte[] ORGNIZATION_ID = ascii("orgnizationId");
    private static final byte[] ORGANIZATION_ID = ascii("organizationId");
    private static final byte[] CUSTOMER_ID = ascii("customerId");
    private static final byte[] EVENT_SOURCE_CODE = ascii("eventSourceCode");
    private static final byte[] EVENT_CODE = ascii("eventCode");
    private static final byte[] EVENT_TIME = ascii("eventTime");
    private static final byte[] EXTEND_ATTRIBUTES = ascii("extendAttributes");
    private static final byte[] NULL = ascii("null");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");

    private static final int F_UNKNOWN = 0;
    private static final int F_ORG = 1;
    private static final int F_CUSTOMER = 2;
    private static final int F_CHANNEL = 3;
    private static final int F_CODE = 4;
    private static final int F_TIME = 5;
    private static final int F_ATTRIBUTES = 6;
    private static final int F_V = 7;

    /** Kinds of a scalar value just read by {@link #scalar}; its bytes are [valueStart, valueEnd). */
    private static final int V_STRING = 1;
    private static final int V_INT = 2;
    private static final int V_FLOAT = 3;
    private static final int V_NULL = 4;
    private static final int V_TRUE = 5;
    private static final int V_FALSE = 6;

    /** Field names longer than this are left to Jackson (its name length limit is 50,000). */
    private static final int MAX_NAME_BYTES = 1000;

    /** Numbers longer than this are left to Jackson (its limit is 64 digits; its number types differ past 18). */
    private static final int MAX_NUMBER_BYTES = 40;

    private final Limits limits;
    private final boolean enabled;
    private byte[] b;
    private int pos;
    private int end;
    /** The value read by {@link #scalar}: its kind, and for strings and numbers its start and end. */
    private int kind;
    private int valueStart;
    private int valueEnd;
    private boolean valueAscii;
    /** Where the current message's strings lie, as {@link RawElement#spans} (reused; copied per message). */
    private int[] spans = new int[8 + 4 * 8];

    FastEventParser(Limits limits) {
        this.limits = limits;
        // Our messages are at most three levels deep (array, message, extendAttributes).
        this.enabled = limits.maxNestingDepth() >= 3;
    }

    /**
     * The record's elements exactly as {@link EventParser} would yield them, or {@code null} when this
     * parser declines it. The caller has checked that the value is present and within the size limit.
     */
    List<RawElement> tryParse(byte[] value, EventParser.Source src) {
        if (!enabled) {
            return null;
        }
        b = value;
        pos = 0;
        end = value.length;
        try {
            skipWs();
            if (pos >= end) {
                return null;
            }
            if (b[pos] == '{') {
                RawElement e = message(src, 0);
                if (e == null || !atEnd()) {
                    return null;
                }
                e.element = -1;
                e.original = value;
                return List.of(e);
            }
            if (b[pos] == '[') {
                return array(value, src);
            }
            return null;
        } finally {
            b = null;
        }
    }

    private List<RawElement> array(byte[] value, EventParser.Source src) {
        pos++;
        skipWs();
        List<RawElement> out = new ArrayList<>();
        int index = 0;
        while (true) {
            if (pos >= end || b[pos] != '{' || index >= limits.maxElements()) {
                return null; // an empty array, a non-object element, too many: Jackson's path judges those
            }
            int start = pos;
            RawElement e = message(src, start);
            if (e == null) {
                return null;
            }
            e.element = index++;
            e.original = Arrays.copyOfRange(value, start, pos);
            out.add(e);
            skipWs();
            if (pos >= end) {
                return null;
            }
            byte c = b[pos++];
            if (c == ']') {
                return atEnd() ? out : null;
            }
            if (c != ',') {
                return null;
            }
            skipWs();
        }
    }

    /**
     * One message object: {@code pos} stands on its '{' and is left after its '}'; null = declined.
     * {@code from} is where its original bytes start (string spans are relative to it).
     */
    private RawElement message(EventParser.Source src, int from) {
        pos++;
        for (int k = 0; k < 8; k += 2) {
            spans[k] = -1;
            spans[k + 1] = 0;
        }
        RawElement e = EventParser.base(src);
        boolean hasTime = false;
        boolean[] numeric = null;
        int attrs = 0;
        skipWs();
        if (pos < end && b[pos] == '}') {
            pos++;
        } else {
            while (true) {
                int field = fieldName();
                if (field < 0) {
                    return null;
                }
                switch (field) {
                    case F_ORG, F_CUSTOMER, F_CHANNEL, F_CODE -> {
                        if (!id(field - F_ORG, from)) {
                            return null;
                        }
                    }
                    case F_TIME -> {
                        if (!scalar()) {
                            return null;
                        }
                        if (kind == V_INT) {
                            int digits = valueEnd - valueStart - (b[valueStart] == '-' ? 1 : 0);
                            if (digits > 18) {
                                return null; // Jackson's number type decides these
                            }
                        } else if (kind == V_STRING) {
                            // EventParser.isDigits: 1 to 18 ASCII digits
                            int n = valueEnd - valueStart;
                            if (n == 0 || n > 18 || digits(valueStart) != valueEnd) {
                                return null; // BAD_FIELD
                            }
                        } else if (kind == V_NULL) {
                            break;
                        } else {
                            return null; // BAD_FIELD
                        }
                        e.eventTime = parseLong(valueStart, valueEnd);
                        hasTime = true;
                    }
                    case F_ATTRIBUTES -> {
                        if (pos < end && b[pos] == '{') {
                            pos++;
                            skipWs();
                            if (pos < end && b[pos] == '}') {
                                pos++;
                            } else {
                                while (true) {
                                    if (pos >= end || b[pos] != '"') {
                                        return null;
                                    }
                                    if (!string() || !valueAscii || valueEnd - valueStart > MAX_NAME_BYTES) {
                                        return null; // attribute names are ASCII here; Jackson decodes the rest
                                    }
                                    int nameStart = valueStart;
                                    int nameEnd = valueEnd;
                                    if (!colon() || !scalar()) {
                                        return null; // objects and arrays are BAD_ATTRIBUTE: Jackson's path
                                    }
                                    if (kind != V_NULL) { // an attribute reported as null is an attribute not reported
                                        if (chars() > limits.maxValueLength() || attrs >= limits.maxAttributes()) {
                                            return null; // TOO_LARGE
                                        }
                                        for (int i = 0; i < attrs; i++) {
                                            int at = from + spans[8 + 4 * i];
                                            if (spans[9 + 4 * i] == nameEnd - nameStart
                                                    && Arrays.equals(b, at, at + spans[9 + 4 * i], b, nameStart, nameEnd)) {
                                                return null; // BAD_ATTRIBUTE: appears more than once
                                            }
                                        }
                                        if (numeric == null) {
                                            numeric = new boolean[8];
                                        } else if (attrs == numeric.length) {
                                            numeric = Arrays.copyOf(numeric, attrs * 2);
                                        }
                                        int at = 8 + 4 * attrs;
                                        if (at + 4 > spans.length) {
                                            spans = Arrays.copyOf(spans, spans.length * 2);
                                        }
                                        spans[at] = nameStart - from;
                                        spans[at + 1] = nameEnd - nameStart;
                                        spans[at + 2] = valueStart - from;
                                        spans[at + 3] = valueEnd - valueStart;
                                        numeric[attrs] = kind == V_INT || kind == V_FLOAT;
                                        attrs++;
                                    }
                                    int next = next();
                                    if (next == '}') {
                                        break;
                                    }
                                    if (next != ',') {
                                        return null;
                                    }
                                    skipWs();
                                }
                            }
                        } else if (!scalar() || kind != V_NULL) {
                            return null; // BAD_FIELD
                        }
                    }
                    case F_V -> {
                        if (!scalar()) {
                            return null;
                        }
                        boolean one = valueEnd - valueStart == 1 && b[valueStart] == '1';
                        if (!(kind == V_NULL || (kind == V_INT && one) || (kind == V_STRING && one))) {
                            return null; // BAD_FIELD
                        }
                    }
                    default -> {
                        if (!scalar()) {
                            return null; // nested unknown values: Jackson skips (and bounds) those
                        }
                    }
                }
                int next = next();
                if (next == '}') {
                    break;
                }
                if (next != ',') {
                    return null;
                }
                skipWs();
            }
        }
        // The strings stay in the bytes (RawElement#materialize decodes them where they are needed).
        e.spans = Arrays.copyOf(spans, 8 + 4 * attrs);
        e.lazy = true;
        e.attrNames = null;
        e.attrValues = null;
        if (attrs > 0) {
            e.attrNumeric = attrs == numeric.length ? numeric : Arrays.copyOf(numeric, attrs);
        }
        EventParser.checkRequired(e, spans[0] >= 0, spans[2] >= 0, spans[6] >= 0, hasTime, limits);
        return e;
    }

    /**
     * Id field {@code k} (org, customer, channel, code) as {@link EventParser#idField} judges it: a string
     * or an integer's text, absent when null or blank; false = decline (another type, too long).
     */
    private boolean id(int k, int from) {
        if (!scalar() || !(kind == V_STRING || kind == V_INT || kind == V_NULL)) {
            return false;
        }
        boolean blank = true;
        if (kind != V_NULL) {
            if (chars() > limits.maxIdLength()) {
                return false;
            }
            if (valueAscii) {
                for (int i = valueStart; i < valueEnd && blank; i++) {
                    blank = b[i] == ' '; // the only ASCII whitespace a string here can hold (control characters declined)
                }
            } else {
                blank = new String(b, valueStart, valueEnd - valueStart, StandardCharsets.UTF_8).isBlank();
            }
        }
        if (blank) {
            spans[2 * k] = -1;
            spans[2 * k + 1] = 0;
        } else {
            spans[2 * k] = valueStart - from;
            spans[2 * k + 1] = valueEnd - valueStart;
        }
        return true;
    }

    /** The length in UTF-16 chars (String#length) of the value just read, well-formed UTF-8 as it is. */
    private int chars() {
        if (valueAscii) {
            return valueEnd - valueStart;
        }
        int n = 0;
        for (int i = valueStart; i < valueEnd; i++) {
            int c = b[i] & 0xFF;
            if ((c & 0xC0) != 0x80) {
                n += c >= 0xF0 ? 2 : 1; // a four-byte sequence is a surrogate pair
            }
        }
        return n;
    }

    /** Reads {@code "name" :} and returns the field it names, or -1 to decline. */
    private int fieldName() {
        if (pos >= end || b[pos] != '"' || !string() || !valueAscii || valueEnd - valueStart > MAX_NAME_BYTES) {
            return -1;
        }
        int field = field(valueStart, valueEnd - valueStart);
        return colon() ? field : -1;
    }

    private int field(int at, int n) {
        return switch (n) {
            case 1 -> b[at] == 'v' ? F_V : F_UNKNOWN;
            case 9 -> is(at, n, EVENT_CODE) ? F_CODE : is(at, n, EVENT_TIME) ? F_TIME : F_UNKNOWN;
            case 10 -> is(at, n, CUSTOMER_ID) ? F_CUSTOMER : F_UNKNOWN;
            case 13 -> is(at, n, ORGNIZATION_ID) ? F_ORG : F_UNKNOWN;
            case 14 -> is(at, n, ORGANIZATION_ID) ? F_ORG : F_UNKNOWN;
            case 15 -> is(at, n, EVENT_SOURCE_CODE) ? F_CHANNEL : F_UNKNOWN;
            case 16 -> is(at, n, EXTEND_ATTRIBUTES) ? F_ATTRIBUTES : F_UNKNOWN;
            default -> F_UNKNOWN;
        };
    }

    /** Whether the {@code n} bytes at {@code at} are {@code name} (of length n). */
    private boolean is(int at, int n, byte[] name) {
        for (int i = 0; i < n; i++) {
            if (b[at + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whitespace, then ':', then whitespace. */
    private boolean colon() {
        skipWs();
        if (pos >= end || b[pos] != ':') {
            return false;
        }
        pos++;
        skipWs();
        return true;
    }

    /** Whitespace, then the next byte (consumed), or -1 at the end. */
    private int next() {
        skipWs();
        return pos < end ? b[pos++] : -1;
    }

    /** A string, number, true, false or null; false = decline (an object, an array, anything else). */
    private boolean scalar() {
        if (pos >= end) {
            return false;
        }
        byte c = b[pos];
        if (c == '"') {
            kind = V_STRING;
            return string();
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        if (c == 'n') {
            kind = V_NULL;
            return literal(NULL);
        }
        if (c == 't') {
            kind = V_TRUE;
            return literal(TRUE);
        }
        if (c == 'f') {
            kind = V_FALSE;
            return literal(FALSE);
        }
        return false;
    }

    private boolean literal(byte[] word) {
        if (pos + word.length > end || !Arrays.equals(b, pos, pos + word.length, word, 0, word.length)) {
            return false;
        }
        valueStart = pos;
        valueEnd = pos + word.length;
        pos += word.length;
        return true;
    }

    /**
     * A string without escapes or control characters, strictly well-formed UTF-8: {@code pos} stands on
     * its opening quote and is left after the closing one; its content is [valueStart, valueEnd).
     */
    private boolean string() {
        int i = pos + 1;
        boolean ascii = true;
        while (true) {
            if (i >= end) {
                return false;
            }
            byte c = IN_STRING[b[i] & 0xFF];
            if (c != PLAIN) {
                if (c == QUOTE) {
                    break;
                }
                if (c == DECLINE) {
                    return false;
                }
                ascii = false;
            }
            i++;
        }
        if (!ascii && !wellFormedUtf8(pos + 1, i)) {
            return false;
        }
        valueStart = pos + 1;
        valueEnd = i;
        valueAscii = ascii;
        pos = i + 1;
        return true;
    }

    /** RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF, no truncated sequence. */
    private boolean wellFormedUtf8(int from, int to) {
        int i = from;
        while (i < to) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int lo = 0x80;
            int hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                if (c == 0xE0) {
                    lo = 0xA0;
                } else if (c == 0xED) {
                    hi = 0x9F;
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                if (c == 0xF0) {
                    lo = 0x90;
                } else if (c == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                return false;
            }
            if (i + n >= to) {
                return false; // truncated
            }
            int c1 = b[i + 1] & 0xFF;
            if (c1 < lo || c1 > hi) {
                return false;
            }
            for (int k = 2; k <= n; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += n + 1;
        }
        return true;
    }

    /**
     * A number in strict JSON grammar ({@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}) of at
     * most {@link #MAX_NUMBER_BYTES} bytes; {@link #kind} says integer or not.
     */
    private boolean number() {
        int start = pos;
        int i = pos;
        if (b[i] == '-') {
            i++;
        }
        if (i >= end) {
            return false;
        }
        if (b[i] == '0') {
            i++;
        } else if (b[i] >= '1' && b[i] <= '9') {
            i = digits(i);
        } else {
            return false;
        }
        boolean integer = true;
        if (i < end && b[i] == '.') {
            int d = digits(i + 1);
            if (d == i + 1) {
                return false;
            }
            i = d;
            integer = false;
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int d = digits(i);
            if (d == i) {
                return false;
            }
            i = d;
            integer = false;
        }
        if (i - start > MAX_NUMBER_BYTES) {
            return false;
        }
        kind = integer ? V_INT : V_FLOAT;
        valueStart = start;
        valueEnd = i;
        valueAscii = true;
        pos = i;
        return true;
    }

    private int digits(int i) {
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i;
    }

    /** An integer of at most 18 digits, optionally negative. */
    private long parseLong(int from, int to) {
        boolean negative = b[from] == '-';
        long v = 0;
        for (int i = negative ? from + 1 : from; i < to; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return negative ? -v : v;
    }

    private void skipWs() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    /** Only whitespace remains. */
    private boolean atEnd() {
        skipWs();
        return pos == end;
    }

    /** What a byte is inside a string: plain ASCII, its end, something to decline, or part of a multi-byte character. */
    private static final byte PLAIN = 0;
    private static final byte QUOTE = 1;
    private static final byte DECLINE = 2;
    private static final byte NON_ASCII = 3;
    private static final byte[] IN_STRING = new byte[256];

    static {
        for (int c = 0; c < 0x20; c++) {
            IN_STRING[c] = DECLINE; // control characters (Jackson rejects them unescaped)
        }
        IN_STRING['"'] = QUOTE;
        IN_STRING['\\'] = DECLINE; // escapes are left to Jackson
        for (int c = 0x80; c < 0x100; c++) {
            IN_STRING[c] = NON_ASCII;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
