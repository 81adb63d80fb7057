package dev.qaengine.normalize;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.qaengine.model.DlqReason;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses one raw Kafka record (an event message v1 object, or an array of them) into
 * {@link RawElement}s with a streaming parser, checking everything that needs no definitions:
 * JSON syntax, field presence and types, sizes and the event-time range.
 *
 * <p>Bad input is a value, not an exception: a record that is not well-formed JSON is rejected
 * <em>whole</em> (nothing of it is trusted), a well-formed array has each message judged on its own.
 * Every record yields at least one element, so every input is accounted for.
 * Not thread-safe: one per source reader.
 */
public final class EventParser {
    private final Limits limits;
    private final JsonFactory json;
    private final FastEventParser fast;

    public EventParser(Limits limits) {
        this(limits, true);
    }

    /** @param fastPath whether the common case goes through {@link FastEventParser} (false: Jackson for everything) */
    EventParser(Limits limits, boolean fastPath) {
        this.limits = limits;
        this.fast = fastPath ? new FastEventParser(limits) : null;
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxNestingDepth())
                        .maxStringLength(Math.max(limits.maxRecordBytes(), 1024))
                        .maxNumberLength(64)
                        .build())
                .build();
    }

    /** Source coordinates of the record being parsed, copied into every element. */
    public record Source(String topic, int partition, long offset, long timestamp, byte[] key) {
    }

    public List<RawElement> parse(byte[] value, Source src) {
        List<RawElement> out = parseForShuffle(value, src);
        for (RawElement e : out) {
            e.materialize();
        }
        return out;
    }

    /**
     * {@link #parse}, but the fast path's elements keep their strings in the original bytes
     * ({@link RawElement#materialize} decodes them): the Kafka source only ships them to the operator,
     * whose serializer needs the places of the strings, not the strings.
     */
    List<RawElement> parseForShuffle(byte[] value, Source src) {
        if (value == null || value.length == 0) {
            return List.of(whole(value, src, DlqReason.MALFORMED_JSON, "record has no value"));
        }
        if (value.length > limits.maxRecordBytes()) {
            return List.of(whole(value, src, DlqReason.TOO_LARGE,
                    "record is " + value.length + " bytes, more than the limit of " + limits.maxRecordBytes()));
        }
        List<RawElement> out = fast == null ? null : fast.tryParse(value, src);
        if (out == null) {
            out = parseWithJackson(value, src);
        }
        for (RawElement e : out) {
            e.route = RawElement.routeOf(e);
        }
        return out;
    }

    /** The general path: every record, whatever it holds (the fast path leaves the unusual ones here). */
    private List<RawElement> parseWithJackson(byte[] value, Source src) {
        try (JsonParser p = json.createParser(value)) {
            JsonToken first = p.nextToken();
            List<RawElement> out;
            if (first == JsonToken.START_OBJECT) {
                RawElement e = readMessage(p, src);
                e.element = -1;
                e.original = value;
                out = List.of(e);
            } else if (first == JsonToken.START_ARRAY) {
                out = readArray(p, value, src);
                if (out.size() == 1 && out.get(0).element == -1) {
                    return out; // the whole array was rejected
                }
            } else {
                return List.of(whole(value, src, DlqReason.MALFORMED_JSON,
                        "record must be a JSON object or an array of objects, found " + describe(first)));
            }
            if (p.nextToken() != null) {
                return List.of(whole(value, src, DlqReason.MALFORMED_JSON,
                        "unexpected content after the JSON value at byte " + p.currentTokenLocation().getByteOffset()));
            }
            return out;
        } catch (StreamConstraintsException e) {
            return List.of(whole(value, src, DlqReason.TOO_LARGE, firstLine(e.getOriginalMessage())));
        } catch (JsonProcessingException e) {
            return List.of(whole(value, src, DlqReason.MALFORMED_JSON, malformed(e)));
        } catch (IOException | RuntimeException e) {
            return List.of(whole(value, src, DlqReason.MALFORMED_JSON, "unreadable record: " + firstLine(e.getMessage())));
        }
    }

    private List<RawElement> readArray(JsonParser p, byte[] value, Source src) throws IOException {
        List<RawElement> out = new ArrayList<>();
        int index = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new com.fasterxml.jackson.core.io.JsonEOFException(p, null, "unexpected end of input inside an array");
            }
            if (index >= limits.maxElements()) {
                return List.of(whole(value, src, DlqReason.TOO_LARGE,
                        "array holds more than " + limits.maxElements() + " messages"));
            }
            int start = (int) p.currentTokenLocation().getByteOffset();
            RawElement e;
            if (t == JsonToken.START_OBJECT) {
                e = readMessage(p, src);
            } else {
                p.skipChildren();
                e = base(src).rejected(DlqReason.MALFORMED_JSON,
                        "array element " + index + " is " + describe(t) + ", not an event message object");
            }
            int end = (int) p.currentLocation().getByteOffset();
            e.element = index++;
            e.original = Arrays.copyOfRange(value, start, end);
            out.add(e);
        }
        if (index == 0) {
            return List.of(whole(value, src, DlqReason.MISSING_FIELD, "array holds no event message"));
        }
        return out;
    }

    /** Reads one message object; the parser stands on its START_OBJECT and is left on its END_OBJECT. */
    private RawElement readMessage(JsonParser p, Source src) throws IOException {
        RawElement e = base(src);
        boolean hasTime = false;
        String[] names = null;
        String[] values = null;
        boolean[] numeric = null;
        int attrs = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (e.reject != null) {
                p.skipChildren();
                continue;
            }
            switch (field) {
                case "orgnizationId", "organizationId" -> e.orgId = idField(p, v, field, e);
                case "customerId" -> e.customerId = idField(p, v, field, e);
                case "eventSourceCode" -> e.channel = idField(p, v, field, e);
                case "eventCode" -> e.eventCode = idField(p, v, field, e);
                case "eventTime" -> {
                    if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                        e.eventTime = p.getLongValue();
                        hasTime = true;
                    } else if (v == JsonToken.VALUE_STRING && isDigits(p.getText())) {
                        e.eventTime = Long.parseLong(p.getText());
                        hasTime = true;
                    } else if (v != JsonToken.VALUE_NULL) {
                        p.skipChildren();
                        e.rejected(DlqReason.BAD_FIELD, "eventTime must be an integer of epoch milliseconds, found " + describe(v));
                    }
                }
                case "extendAttributes" -> {
                    if (v == JsonToken.START_OBJECT) {
                        JsonToken a;
                        while ((a = p.nextToken()) == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            JsonToken av = p.nextToken();
                            if (e.reject != null) {
                                p.skipChildren();
                                continue;
                            }
                            if (av == JsonToken.VALUE_NULL) {
                                continue; // an attribute reported as null is an attribute not reported
                            }
                            if (av == JsonToken.START_OBJECT || av == JsonToken.START_ARRAY) {
                                p.skipChildren();
                                e.rejected(DlqReason.BAD_ATTRIBUTE, "extendAttributes." + name + " must be a string, found " + describe(av));
                                continue;
                            }
                            String text = p.getText();
                            if (text.length() > limits.maxValueLength()) {
                                e.rejected(DlqReason.TOO_LARGE, "extendAttributes." + name + " is " + text.length()
                                        + " characters, more than the limit of " + limits.maxValueLength());
                                continue;
                            }
                            if (indexOf(names, attrs, name) >= 0) {
                                e.rejected(DlqReason.BAD_ATTRIBUTE, "extendAttributes." + name + " appears more than once");
                                continue;
                            }
                            if (attrs >= limits.maxAttributes()) {
                                e.rejected(DlqReason.TOO_LARGE, "extendAttributes holds more than " + limits.maxAttributes() + " entries");
                                continue;
                            }
                            if (names == null) {
                                names = new String[8];
                                values = new String[8];
                                numeric = new boolean[8];
                            } else if (attrs == names.length) {
                                names = Arrays.copyOf(names, attrs * 2);
                                values = Arrays.copyOf(values, attrs * 2);
                                numeric = Arrays.copyOf(numeric, attrs * 2);
                            }
                            names[attrs] = name;
                            values[attrs] = text;
                            numeric[attrs] = av == JsonToken.VALUE_NUMBER_INT || av == JsonToken.VALUE_NUMBER_FLOAT;
                            attrs++;
                        }
                    } else if (v != JsonToken.VALUE_NULL) {
                        p.skipChildren();
                        e.rejected(DlqReason.BAD_FIELD, "extendAttributes must be an object of string values, found " + describe(v));
                    }
                }
                case "v" -> {
                    if (!(v == JsonToken.VALUE_NULL || (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT && p.getIntValue() == 1)
                            || (v == JsonToken.VALUE_STRING && "1".equals(p.getText())))) {
                        p.skipChildren();
                        e.rejected(DlqReason.BAD_FIELD, "v must be 1 (event message v1), found " + p.getText());
                    }
                }
                default -> p.skipChildren(); // unknown fields are ignored (contract: accept more)
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new com.fasterxml.jackson.core.io.JsonEOFException(p, t, "unexpected end of input inside an object");
        }
        if (attrs > 0) {
            e.attrNames = attrs == names.length ? names : Arrays.copyOf(names, attrs);
            e.attrValues = attrs == values.length ? values : Arrays.copyOf(values, attrs);
            e.attrNumeric = attrs == numeric.length ? numeric : Arrays.copyOf(numeric, attrs);
        } else {
            e.attrNames = NO_STRINGS;
            e.attrValues = NO_STRINGS;
            e.attrNumeric = NO_FLAGS;
        }
        checkRequired(e, e.orgId != null, e.customerId != null, e.eventCode != null, hasTime, limits);
        return e;
    }

    /** Required fields and the event-time range, for a message not rejected yet (shared with the fast path). */
    static void checkRequired(RawElement e, boolean hasOrg, boolean hasCustomer, boolean hasCode, boolean hasTime, Limits limits) {
        if (e.reject != null) {
            return;
        }
        if (!hasOrg) {
            e.rejected(DlqReason.MISSING_FIELD, "orgnizationId is required");
        } else if (!hasCustomer) {
            e.rejected(DlqReason.MISSING_FIELD, "customerId is required");
        } else if (!hasCode) {
            e.rejected(DlqReason.MISSING_FIELD, "eventCode is required");
        } else if (!hasTime) {
            e.rejected(DlqReason.MISSING_FIELD, "eventTime is required");
        } else if (e.eventTime > e.ingestTime + limits.maxFuture().toMillis()) {
            e.rejected(DlqReason.TIME_OUT_OF_RANGE, "eventTime " + e.eventTime + " is more than " + limits.maxFuture()
                    + " after the ingest time " + e.ingestTime);
        } else if (e.eventTime < e.ingestTime - limits.maxPast().toMillis()) {
            e.rejected(DlqReason.TIME_OUT_OF_RANGE, "eventTime " + e.eventTime + " is more than " + limits.maxPast()
                    + " before the ingest time " + e.ingestTime);
        }
    }

    /** A string id field; empty or null counts as absent. A JSON integer is accepted as its text. */
    private String idField(JsonParser p, JsonToken v, String field, RawElement e) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NUMBER_INT) {
            p.skipChildren();
            e.rejected(DlqReason.BAD_FIELD, field + " must be a string, found " + describe(v));
            return null;
        }
        String s = p.getText();
        if (s.length() > limits.maxIdLength()) {
            e.rejected(DlqReason.TOO_LARGE, field + " is " + s.length() + " characters, more than the limit of " + limits.maxIdLength());
            return null;
        }
        return s.isBlank() ? null : s;
    }

    static RawElement base(Source src) {
        RawElement e = new RawElement();
        e.sourcePartition = src.partition();
        e.sourceOffset = src.offset();
        e.ingestTime = src.timestamp();
        e.originalKey = src.key();
        e.attrNames = NO_STRINGS;
        e.attrValues = NO_STRINGS;
        e.attrNumeric = NO_FLAGS;
        return e;
    }

    private static RawElement whole(byte[] value, Source src, DlqReason reason, String detail) {
        RawElement e = base(src).rejected(reason, detail);
        e.element = -1;
        e.original = value == null ? new byte[0] : value;
        e.route = RawElement.routeOf(e);
        return e;
    }

    static int indexOf(String[] names, int n, String name) {
        for (int i = 0; i < n; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    static boolean isDigits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i)) || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }

    private static String malformed(JsonProcessingException e) {
        var loc = e.getLocation();
        String where = loc == null ? "" : " at byte " + loc.getByteOffset();
        return "not valid JSON" + where + ": " + firstLine(e.getOriginalMessage());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    static final String[] NO_STRINGS = new String[0];
    static final boolean[] NO_FLAGS = new boolean[0];
}
