package dev.qaengine.normalize;

import dev.qaengine.common.Settings;
import dev.qaengine.model.DlqReason;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EventParserTest {
    static final long NOW = 1_700_000_000_000L;
    final EventParser parser = new EventParser(Limits.from(Settings.of(Map.of("QA_MAX_MESSAGES_PER_RECORD", "5"))));

    List<RawElement> parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    List<RawElement> parse(byte[] bytes) {
        return parser.parse(bytes, new EventParser.Source("qa.events.raw", 1, 42, NOW, "k".getBytes()));
    }

    static String msg(String fields) {
        return "{\"orgnizationId\":\"o\",\"customerId\":\"c\",\"eventCode\":\"e\",\"eventTime\":" + NOW + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    @Nested
    class Accepts {
        @Test
        void theContractExample() {
            RawElement e = parse("""
                    {"orgnizationId":"56621289-820e-433a-9947-000000000000","customerId":"customer001",
                     "eventSourceCode":"eventsource001","eventCode":"event001","eventTime":%d,
                     "extendAttributes":{"key1":"123456"},"v":1}""".formatted(NOW)).get(0);
            assertThat(e.reject).isNull();
            assertThat(e.orgId).isEqualTo("56621289-820e-433a-9947-000000000000");
            assertThat(e.customerId).isEqualTo("customer001");
            assertThat(e.channel).isEqualTo("eventsource001");
            assertThat(e.eventCode).isEqualTo("event001");
            assertThat(e.eventTime).isEqualTo(NOW);
            assertThat(e.attrNames).containsExactly("key1");
            assertThat(e.attrValues).containsExactly("123456");
            assertThat(e.element).isEqualTo(-1);
            assertThat(e.ingestTime).isEqualTo(NOW);
            assertThat(e.sourcePartition).isEqualTo(1);
            assertThat(e.sourceOffset).isEqualTo(42);
        }

        @Test
        void theCorrectlySpelledOrgFieldNumericIdsDigitStringTimesAndUnknownFields() {
            RawElement e = parse("{\"organizationId\":\"o\",\"customerId\":13888888888,\"eventCode\":\"e\",\"eventTime\":\"" + NOW
                    + "\",\"sdk\":{\"name\":\"x\",\"deep\":[1,2,{\"a\":null}]},\"extendAttributes\":{\"n\":12.5,\"gone\":null}}").get(0);
            assertThat(e.reject).isNull();
            assertThat(e.orgId).isEqualTo("o");
            assertThat(e.customerId).isEqualTo("13888888888");
            assertThat(e.eventTime).isEqualTo(NOW);
            assertThat(e.attrNames).containsExactly("n");
            assertThat(e.attrNumeric).containsExactly(true);
        }

        @Test
        void anArrayJudgingEachMessageOnItsOwnAndSlicingItsBytes() {
            String good = msg("");
            String bad = "{\"orgnizationId\":\"o\",\"eventCode\":\"e\",\"eventTime\":1}";
            List<RawElement> out = parse("[ " + good + " ,\n" + bad + ", 7]");
            assertThat(out).hasSize(3);
            assertThat(out.get(0).reject).isNull();
            assertThat(new String(out.get(0).original, StandardCharsets.UTF_8)).isEqualTo(good);
            assertThat(out.get(1).reject).isEqualTo(DlqReason.MISSING_FIELD);
            assertThat(new String(out.get(1).original, StandardCharsets.UTF_8)).isEqualTo(bad);
            assertThat(out.get(1).element).isEqualTo(1);
            assertThat(out.get(2).reject).isEqualTo(DlqReason.MALFORMED_JSON);
            assertThat(out.get(2).detail).contains("array element 2");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"orgnizationId":                                                                  | MALFORMED_JSON    | not valid JSON
            [{"orgnizationId":"o"}                                                             | MALFORMED_JSON    | not valid JSON
            "just a string"                                                                    | MALFORMED_JSON    | a string
            {} {}                                                                              | MALFORMED_JSON    | after the JSON value
            []                                                                                 | MISSING_FIELD     | no event message
            {"customerId":"c","eventCode":"e","eventTime":1700000000000}                       | MISSING_FIELD     | orgnizationId
            {"orgnizationId":"o","eventCode":"e","eventTime":1700000000000}                    | MISSING_FIELD     | customerId
            {"orgnizationId":"o","customerId":"  ","eventCode":"e","eventTime":1700000000000}  | MISSING_FIELD     | customerId
            {"orgnizationId":"o","customerId":"c","eventTime":1700000000000}                   | MISSING_FIELD     | eventCode
            {"orgnizationId":"o","customerId":"c","eventCode":"e"}                             | MISSING_FIELD     | eventTime
            {"orgnizationId":"o","customerId":"c","eventCode":"e","eventTime":1.5}             | BAD_FIELD         | eventTime
            {"orgnizationId":"o","customerId":"c","eventCode":"e","eventTime":"soon"}          | BAD_FIELD         | eventTime
            {"orgnizationId":{"id":1},"customerId":"c","eventCode":"e","eventTime":1}          | BAD_FIELD         | orgnizationId must be a string
            {"orgnizationId":"o","customerId":"c","eventCode":"e","eventTime":1700000000000,"v":2} | BAD_FIELD     | v must be 1
            {"orgnizationId":"o","customerId":"c","eventCode":"e","eventTime":1700000000000,"extendAttributes":[1]} | BAD_FIELD | extendAttributes must be an object
            {"orgnizationId":"o","customerId":"c","eventCode":"e","eventTime":1700000000000,"extendAttributes":{"a":{"b":1}}} | BAD_ATTRIBUTE | extendAttributes.a
            {"orgnizationId":"o","customerId":"c","eventCode":"e","eventTime":1700000000000,"extendAttributes":{"a":"1","a":"2"}} | BAD_ATTRIBUTE | appears more than once
            {"orgnizationId":"o","customerId":"c","eventCode":"e","eventTime":1700000700001}   | TIME_OUT_OF_RANGE | after the ingest time
            {"orgnizationId":"o","customerId":"c","eventCode":"e","eventTime":1699395199999}   | TIME_OUT_OF_RANGE | before the ingest time
            [{},{},{},{},{},{}]                                                                | TOO_LARGE         | more than 5 messages
            {"orgnizationId":"o","x":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]} | TOO_LARGE | depth
            """)
    void rejects(String json, DlqReason reason, String detail) {
        List<RawElement> out = parse(json);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).reject).isEqualTo(reason);
        assertThat(out.get(0).detail).contains(detail);
    }

    @Test
    void keepsTheBytesOfAWholeRejectedRecordUnchanged() {
        byte[] invalidUtf8 = {'{', '"', 'o', 'r', 'g', 'n', 'i', 'z', 'a', 't', 'i', 'o', 'n', 'I', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        List<RawElement> out = parse(invalidUtf8);
        assertThat(out).singleElement().satisfies(e -> {
            assertThat(e.reject).isEqualTo(DlqReason.MALFORMED_JSON);
            assertThat(e.original).isEqualTo(invalidUtf8);
            assertThat(e.originalKey).isEqualTo("k".getBytes());
            assertThat(e.element).isEqualTo(-1);
        });
        assertThat(parse(new byte[0])).singleElement().satisfies(e -> assertThat(e.reject).isEqualTo(DlqReason.MALFORMED_JSON));
        assertThat(parser.parse(null, new EventParser.Source("t", 0, 0, NOW, null)))
                .singleElement().satisfies(e -> assertThat(e.detail).isEqualTo("record has no value"));
    }

    @Test
    void enforcesSizeLimits() {
        EventParser small = new EventParser(Limits.from(Settings.of(Map.of("QA_MAX_RECORD_BYTES", "100", "QA_MAX_ID_LENGTH", "8",
                "QA_MAX_ATTRIBUTE_LENGTH", "4", "QA_MAX_ATTRIBUTES", "1"))));
        EventParser.Source src = new EventParser.Source("t", 0, 0, NOW, null);
        assertThat(small.parse(("[" + "{},".repeat(40) + "{}]").getBytes(), src).get(0).detail).contains("more than the limit of 100");
        assertThat(small.parse("{\"customerId\":\"123456789\"}".getBytes(), src).get(0).detail).contains("customerId is 9 characters");
        assertThat(small.parse("{\"extendAttributes\":{\"a\":\"12345\"}}".getBytes(), src).get(0).detail).contains("extendAttributes.a is 5 characters");
        assertThat(small.parse("{\"extendAttributes\":{\"a\":\"1\",\"b\":\"2\"}}".getBytes(), src).get(0).detail).contains("more than 1 entries");
    }
}
