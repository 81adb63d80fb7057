package dev.qaengine.normalize;

import dev.qaengine.common.Settings;
import dev.qaengine.model.AppType;
import dev.qaengine.model.AttributeType;
import dev.qaengine.model.DlqReason;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path ({@link FastEventParser}) against the Jackson path of {@link EventParser}: for every
 * record, the fast path either declines it or yields exactly the elements the Jackson path yields, field
 * for field (reject reason and detail, original bytes, routing key included). Over the fuzz corpus of
 * {@link NormalizeFuzzIT} (several seeds), table-driven edge cases, and every truncation and single-byte
 * mutation of a few valid records.
 */
class EventParserDifferentialTest {
    static final long NOW = EventParserTest.NOW;
    static final List<Limits> LIMITS = List.of(
            Limits.defaults(),
            Limits.from(Settings.of(Map.of("QA_MAX_MESSAGES_PER_RECORD", "3", "QA_MAX_ID_LENGTH", "8",
                    "QA_MAX_ATTRIBUTES", "2", "QA_MAX_ATTRIBUTE_LENGTH", "5", "QA_MAX_RECORD_BYTES", "300"))),
            Limits.from(Settings.of(Map.of("QA_MAX_JSON_DEPTH", "3"))),
            Limits.from(Settings.of(Map.of("QA_MAX_JSON_DEPTH", "2"))));

    /** How many records each path saw, and how many the fast path took. */
    int compared;
    int accepted;

    void compare(byte[] value, long ingestTime) {
        for (Limits limits : LIMITS) {
            EventParser jackson = new EventParser(limits, false);
            FastEventParser fast = new FastEventParser(limits);
            EventParser.Source src = new EventParser.Source("qa.events.raw", 1, 77, ingestTime, "key".getBytes());
            if (value == null || value.length == 0 || value.length > limits.maxRecordBytes()) {
                continue; // EventParser decides these before either path
            }
            List<RawElement> expected = jackson.parse(value, src);
            List<RawElement> got = fast.tryParse(value, src);
            compared++;
            if (got != null) {
                accepted++;
                assertThat(got).allMatch(e -> e.lazy && e.attrNames == null && e.customerId == null);
                got.forEach(e -> e.route = RawElement.routeOf(e)); // as EventParser does after either path
                // As the Kafka source ships them: strings undecoded, through the shuffle's serializer
                List<RawElement> shipped = got.stream().map(EventParserDifferentialTest::roundTrip).toList();
                if (!same(shipped, expected)) {
                    assertThat(shipped).as("shipped by the fast path: %s", show(value))
                            .usingRecursiveFieldByFieldElementComparatorIgnoringFields("spans").isEqualTo(expected);
                }
                got.forEach(RawElement::materialize);
                if (!same(got, expected)) {
                    assertThat(got).as("fast path on %s", show(value))
                            .usingRecursiveFieldByFieldElementComparatorIgnoringFields("spans").isEqualTo(expected);
                }
                for (RawElement e : expected) {
                    assertThat(e.reject).as("the fast path yields no rejects but missing fields and time range: %s", show(value))
                            .isIn(null, DlqReason.MISSING_FIELD, DlqReason.TIME_OUT_OF_RANGE);
                }
                for (int i = 0; i < got.size(); i++) {
                    downstream(got.get(i), expected.get(i), value);
                }
            }
            // The parser with both paths yields the same as Jackson alone.
            List<RawElement> both = new EventParser(limits).parse(value, src);
            if (!same(both, expected)) {
                assertThat(both).usingRecursiveFieldByFieldElementComparatorIgnoringFields("spans").isEqualTo(expected);
            }
        }
    }

    /**
     * What the fast path's element becomes further on is what the Jackson path's becomes: the same element
     * after the shuffle's serializer (which sends the fast path's strings as places in the original bytes),
     * and the same canonical JSON, event id and record key (which the writer copies from those bytes).
     */
    void downstream(RawElement fast, RawElement jackson, byte[] value) {
        RawElement fastAfter = roundTrip(fast);
        RawElement jacksonAfter = roundTrip(jackson);
        if (!same(List.of(fastAfter, jacksonAfter, roundTrip(fastAfter)), List.of(jackson, jackson, jackson))) {
            assertThat(fastAfter).as("through the serializer: %s", show(value)).usingRecursiveComparison().ignoringFields("spans").isEqualTo(jackson);
        }
        assertThat(fastAfter.spans).isEqualTo(fast.spans);
        if (fast.orgId == null || fast.customerId == null || fast.eventCode == null) {
            return;
        }
        for (boolean numbers : new boolean[] {false, true}) {
            CanonicalWriter.Written expected = writer.write(jackson, outcome(jackson, numbers));
            for (RawElement e : List.of(fast, fastAfter, jacksonAfter)) {
                CanonicalWriter.Written w = writer.write(e, outcome(e, numbers));
                assertThat(new String(w.json(), StandardCharsets.UTF_8)).as(show(value))
                        .isEqualTo(new String(expected.json(), StandardCharsets.UTF_8));
                assertThat(w.key()).isEqualTo(expected.key());
                assertThat(w.idBits()).isEqualTo(expected.idBits());
            }
        }
    }

    final CanonicalWriter writer = new CanonicalWriter();

    /** As {@link Validation} makes it: every attribute TEXT, or NUMBER (in canonical form) where it is a decimal. */
    static Validation.Outcome outcome(RawElement e, boolean numbers) {
        int n = e.attrNames.length;
        AttributeType[] types = new AttributeType[n];
        String[] values = e.attrValues;
        for (int i = 0; i < n; i++) {
            String number = numbers ? Validation.canonicalNumber(e.attrValues[i]) : null;
            types[i] = number == null ? AttributeType.TEXT : AttributeType.NUMBER;
            if (number != null) {
                if (values == e.attrValues) {
                    values = e.attrValues.clone();
                }
                values[i] = number;
            }
        }
        return new Validation.Outcome(null, null, e.channel == null ? null : AppType.APP, types, values, null);
    }

    static RawElement roundTrip(RawElement e) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(64);
            RawElementSerializer.INSTANCE.serialize(e, out);
            return RawElementSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        } catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
    }

    /** Field for field (a quick check; AssertJ's recursive comparison explains a difference). */
    static boolean same(List<RawElement> a, List<RawElement> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            RawElement x = a.get(i);
            RawElement y = b.get(i);
            boolean same = Objects.equals(x.orgId, y.orgId) && Objects.equals(x.customerId, y.customerId)
                    && Objects.equals(x.channel, y.channel) && Objects.equals(x.eventCode, y.eventCode) && x.eventTime == y.eventTime
                    && Arrays.equals(x.attrNames, y.attrNames) && Arrays.equals(x.attrValues, y.attrValues)
                    && Arrays.equals(x.attrNumeric, y.attrNumeric) && x.ingestTime == y.ingestTime
                    && x.sourcePartition == y.sourcePartition && x.sourceOffset == y.sourceOffset && x.element == y.element
                    && Arrays.equals(x.original, y.original) && Arrays.equals(x.originalKey, y.originalKey)
                    && x.reject == y.reject && Objects.equals(x.detail, y.detail) && x.route == y.route;
            if (!same) {
                return false;
            }
        }
        // every field is compared above: a new field of RawElement must be added here
        assertThat(RawElement.class.getFields()).hasSize(FIELDS);
        return true;
    }

    static final int FIELDS = 17;

    static String show(byte[] v) {
        String s = new String(v, StandardCharsets.UTF_8);
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    @ParameterizedTest
    @ValueSource(longs = {20261125L, 1L})
    void theFuzzCorpus(long seed) {
        FuzzCorpus fuzz = new FuzzCorpus(seed, NOW);
        List<byte[]> corpus = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            corpus.add(fuzz.payload());
        }
        corpus.add(fuzz.array(1000, false));
        corpus.add(fuzz.array(10_000, false));
        corpus.add(fuzz.array(10_000, true));
        for (byte[] v : corpus) {
            compare(v, NOW);
        }
        for (int i = 0; i < 2000; i++) {
            compare(corpus.get(i), NOW + 86_400_000L * 8); // out of the time range
        }
        System.out.printf("fuzz seed %d: the fast path took %d of %d records%n", seed, accepted, compared);
        assertThat(accepted).as("the fast path takes the common case").isGreaterThan(compared / 10);
    }

    static final String VALID = Fixtures.event("c-1", "add_to_cart", NOW, "{\"sku\":\"S-1\",\"price\":\"12.50\",\"city\":\"Zürich\"}");

    static final String[] EDGE_CASES = {
            VALID,
            "{}",
            "[{}]",
            "[]",
            "[ ]",
            " \t\r\n" + VALID + " \n",
            "[" + VALID + "," + VALID + "]",
            "[" + VALID + " , " + VALID + " ]  ",
            "[" + VALID + ",7]",
            "[" + VALID + ",null]",
            "[" + VALID + ",]",
            "[" + VALID + "",
            VALID + "x",
            VALID + "{}",
            VALID + ",",
            "\uFEFF" + VALID,
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + "}",
            "{ \"orgnizationId\" : \"o\" , \"customerId\" : \"c\" , \"eventCode\" : \"e\" , \"eventTime\" : " + NOW + " } ",
            "{\"organizationId\":\"o\",\"customerId\":13888888888,\"eventCode\":\"e\",\"eventTime\":\"" + NOW + "\"}",
            "{\"organizationId\":\"o\",\"orgnizationId\":\"p\",\"customerId\":\"c\",\"customerId\":\"d\",\"eventCode\":\"e\",\"eventTime\":" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"customerId\":null,\"eventCode\":\"e\",\"eventTime\":" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"  \",\"eventCode\":\"e\",\"eventTime\":" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"\",\"eventCode\":\"e\",\"eventTime\":" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":-0,\"eventCode\":\"e\",\"eventTime\":" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":-12,\"eventCode\":\"e\",\"eventTime\":" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":1.5,\"eventCode\":\"e\",\"eventTime\":" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":1e3,\"eventCode\":\"e\",\"eventTime\":" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":true,\"eventCode\":\"e\",\"eventTime\":" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":123456789012345678901234567890,\"eventCode\":\"e\",\"eventTime\":" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"123456789\",\"eventCode\":\"e\",\"eventTime\":" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\\\"q\",\"eventCode\":\"e\",\"eventTime\":" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\\u00fc\",\"eventCode\":\"e\",\"eventTime\":" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\tx\",\"eventCode\":\"e\",\"eventTime\":" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\u007fx\",\"eventCode\":\"e\",\"eventTime\":" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"ü→😀\uFFFF\uFEFF\",\"eventCode\":\"e\",\"eventTime\":" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"\u2003\u2003\",\"eventCode\":\"e\",\"eventTime\":" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"custömerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"extendAttributes\":{\"ä\":\"1\"}}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\"}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":null}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"eventTime\":null}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":-" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":-0}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":999999999999999999}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":9223372036854775807}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":9223372036854775808}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":0" + NOW + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ".0}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + "e0}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":\"0" + NOW + "\"}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":\"\"}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":\"1234567890123456789\"}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":\"-1\"}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":\"١٢٣\"}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"v\":1}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"v\":\"1\"}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"v\":null}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"v\":1.0}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"v\":01}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"v\":2}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"v\":true}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"x\":true,\"y\":false,\"z\":null,\"w\":-1.5e-7,\"q\":\"s\"}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"x\":truex}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"x\":tru}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"x\":nul}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"x\":[1,{\"a\":2}]}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"x\":{}}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"x\":NaN}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"x\":+1}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"x\":.5}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"x\":1.}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"x\":1e}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"x\":-}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"x\":1" + "0".repeat(70) + "}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"x\":'s'}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",x:1}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + " /* c */}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"" + "n".repeat(60_000) + "\":1}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"extendAttributes\":{}}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"extendAttributes\":null}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"extendAttributes\":\"x\"}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + ",\"extendAttributes\":[]}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW
                    + ",\"extendAttributes\":{\"a\":\"1\",\"b\":2,\"c\":-3.5e2,\"d\":true,\"e\":false,\"f\":null,\"g\":\"\"}}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW
                    + ",\"extendAttributes\":{\"a\":\"1\"},\"extendAttributes\":{\"b\":\"2\"}}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW
                    + ",\"extendAttributes\":{\"a\":\"1\"},\"extendAttributes\":{\"a\":\"2\"}}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW
                    + ",\"extendAttributes\":{\"a\":null,\"a\":\"2\"}}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW
                    + ",\"extendAttributes\":{\"a\":\"1\",\"a\":\"2\"}}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW
                    + ",\"extendAttributes\":{\"a\":{\"b\":1}}}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW
                    + ",\"extendAttributes\":{\"a\":[1]}}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW
                    + ",\"extendAttributes\":{\"a\":\"123456\"}}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW
                    + ",\"extendAttributes\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW
                    + ",\"extendAttributes\":{\"1\":\"1\",\"2\":\"2\",\"3\":\"3\",\"4\":\"4\",\"5\":\"5\",\"6\":\"6\",\"7\":\"7\",\"8\":\"8\",\"9\":\"9\"}}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW
                    + ",\"extendAttributes\":{\"a\":\"1\",}}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW
                    + ",\"extendAttributes\":{\"a\" \"1\"}}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW
                    + ",\"extendAttributes\":{\"a\":\"x\u0001y\"}}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW
                    + ",\"extendAttributes\":{\"a\":\"" + "é".repeat(4096) + "\"}}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW
                    + ",\"extendAttributes\":{\"a\":\"" + "😀".repeat(2048) + "\"}}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW
                    + ",\"extendAttributes\":{\"a\":\"" + "😀".repeat(2049) + "\"}}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":1700000700001}",
            "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":1699395199999}",
            "[{\"customerId\":\"c\"},{\"orgnizationId\":\"o\"}]",
            "[" + (VALID + ",").repeat(4) + VALID + "]",
            "[[" + VALID + "]]",
            "{\"a\":{\"b\":{\"c\":1}}}",
            "\"s\"",
            "7",
            "null",
            "{\"orgnizationId\":\"o\"",
            "{\"orgnizationId\"",
            "{\"",
            "{",
            "[",
    };

    @Test
    void edgeCases() {
        for (String c : EDGE_CASES) {
            compare(c.getBytes(StandardCharsets.UTF_8), NOW);
        }
        // The plain cases do take the fast path.
        Limits limits = Limits.defaults();
        FastEventParser fast = new FastEventParser(limits);
        EventParser.Source src = new EventParser.Source("qa.events.raw", 1, 77, NOW, null);
        for (String c : new String[] {EDGE_CASES[0], EDGE_CASES[1], EDGE_CASES[2], EDGE_CASES[5], EDGE_CASES[6], EDGE_CASES[7],
                EDGE_CASES[16], EDGE_CASES[17], EDGE_CASES[18]}) {
            assertThat(fast.tryParse(c.getBytes(StandardCharsets.UTF_8), src)).as(c).isNotNull();
        }
    }

    static final byte[][] INVALID_UTF8 = {
            {(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF0, (byte) 0x90, 0x28, (byte) 0xBC},
            {(byte) 0xC0, (byte) 0x80}, {(byte) 0xC1, (byte) 0xBF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xED, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0x80}, {(byte) 0xBF}, {(byte) 0xC3}, {(byte) 0xE2, (byte) 0x82, (byte) 0xAC, (byte) 0xAC},
            {(byte) 0xEF, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF},
            {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {0},
    };

    @Test
    void invalidAndUnusualUtf8AnywhereInAString() {
        String base = VALID.replace("\"v\":1", "\"zz\":\"q\",\"v\":\"1\"");
        for (byte[] bad : INVALID_UTF8) {
            // after the opening quote of: an id, an attribute value, an attribute name, an unknown field's value,
            // an unknown field's name, a known field's name, v, and inside an id
            for (String marker : new String[] {"customerId\":\"", "sku\":\"", "{\"sku", "zz\":\"", ",\"zz", "{\"orgn", "v\":\"",
                    "eventCode\":\"add"}) {
                int at = base.indexOf(marker);
                assertThat(at).as(marker).isGreaterThanOrEqualTo(0);
                at += marker.startsWith("{") || marker.startsWith(",") ? 2 : marker.length();
                byte[] v = base.getBytes(StandardCharsets.UTF_8);
                byte[] out = new byte[v.length + bad.length];
                System.arraycopy(v, 0, out, 0, at);
                System.arraycopy(bad, 0, out, at, bad.length);
                System.arraycopy(v, at, out, at + bad.length, v.length - at);
                compare(out, NOW);
            }
        }
    }

    @Test
    void everyTruncationAndSingleByteMutationOfValidRecords() {
        String[] records = {VALID, "[" + VALID + "," + VALID.replace("c-1", "c-2") + "]",
                "{\"orgnizationId\":\"o\",\"customerId\":1,\"eventCode\":\"e\",\"eventTime\":\"" + NOW + "\",\"v\":\"1\","
                        + "\"extendAttributes\":{\"n\":-1.5E+3,\"t\":true,\"z\":null},\"other\":false}"};
        byte[] interesting = {0, '\t', ' ', '"', '\\', ',', ':', '{', '}', '[', ']', '0', '1', '-', '.', 'e', 'n', 't', 'f', 'x',
                (byte) 0x7F, (byte) 0x80, (byte) 0xC3, (byte) 0xE2, (byte) 0xF0, (byte) 0xFF};
        for (String r : records) {
            byte[] v = r.getBytes(StandardCharsets.UTF_8);
            for (int n = 0; n <= v.length; n++) {
                compare(Arrays.copyOf(v, n), NOW);
            }
            for (int i = 0; i < v.length; i++) {
                for (byte x : interesting) {
                    byte[] m = v.clone();
                    m[i] = x;
                    compare(m, NOW);
                }
                byte[] dropped = new byte[v.length - 1];
                System.arraycopy(v, 0, dropped, 0, i);
                System.arraycopy(v, i + 1, dropped, i, v.length - i - 1);
                compare(dropped, NOW);
            }
        }
        assertThat(accepted).isGreaterThan(100);
    }

    @Test
    void randomRecordsOfJsonBytes() {
        Random rnd = new Random(7);
        byte[] alphabet = "{}[]\",:01-.eE+ tnufalsrv\\\"abc".getBytes(StandardCharsets.US_ASCII);
        String[] pieces = {"\"orgnizationId\":\"o\"", "\"customerId\":\"c\"", "\"eventCode\":\"e\"", "\"eventTime\":" + NOW,
                "\"extendAttributes\":{\"a\":\"1\",\"b\":2}", "\"v\":1", "\"x\":null", ",", ",", ",", "{", "}", "[", "]", " "};
        for (int i = 0; i < 50_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(12);
            for (int k = 0; k < n; k++) {
                if (rnd.nextInt(4) == 0) {
                    sb.append((char) alphabet[rnd.nextInt(alphabet.length)]);
                } else {
                    sb.append(pieces[rnd.nextInt(pieces.length)]);
                }
            }
            compare(sb.toString().getBytes(StandardCharsets.UTF_8), NOW);
        }
    }
}
