package dev.qaengine.journeys;

import dev.qaengine.common.Json;
import dev.qaengine.model.ResolvedEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token-by-token reader against the object mapper it stands in for: on every input, either the very same event
 * (the same types of attribute values too: Integer, Long, BigInteger, Double, Boolean, nested lists and maps) or null
 * — and null only where binding is left to decide, never for an input binding reads the usual way in the job.
 */
class ResolvedEventReaderTest {

    /** What the identity job writes, with every member and every kind of attribute value. */
    static final String FULL = """
            {"v":1,"personId":"p-1","identifiers":{"MOBILE":["13900000001"],"EMAIL":["a@example.com","b@example.com"]},
             "event":{"v":1,"eventId":"e-1","orgId":"org1","customerId":"c-1","channel":"shop-app","appType":"APP",
              "eventCode":"add_to_cart","attributes":{"amount":450,"big":12345678901,"huge":123456789012345678901234567890,
              "price":19.9,"exp":1e3,"name":"caf\\u00e9 \\"x\\"","ok":true,"no":false,"none":null,"tags":["a",1,null],
              "nested":{"k":[1.5,{"x":"y"}]}},"eventTime":1795824000000,"ingestTime":1795824000123,"customerIdType":"ONEID"}}""";

    @Test
    void readsEveryMemberAsBindingDoes() throws Exception {
        assertSame(FULL);
        ResolvedEvent ev = ResolvedEventReader.read(FULL.getBytes(StandardCharsets.UTF_8));
        assertThat(ev).isNotNull();
        assertThat(ev.event().attributes().get("amount")).isInstanceOf(Integer.class);
        assertThat(ev.event().attributes().get("big")).isInstanceOf(Long.class);
        assertThat(ev.event().attributes().get("huge")).isInstanceOf(java.math.BigInteger.class);
        assertThat(ev.event().attributes().get("price")).isInstanceOf(Double.class);
    }

    @Test
    void leavesWhatBindingCoercesOrRefusesToBinding() throws Exception {
        for (String odd : List.of(
                FULL.replace("\"v\":1,\"personId\"", "\"v\":\"1\",\"personId\""),    // a number as text
                FULL.replace("\"eventTime\":1795824000000", "\"eventTime\":1.795824E12"), // a whole number written as a float
                FULL.replace("\"APP\"", "\"app\""),                                    // not an enum name
                FULL.replace("\"APP\"", "0"),                                          // an enum by its index
                FULL.replace("\"MOBILE\"", "\"PHONE\""),                               // an unknown identifier type
                FULL.replace("[\"13900000001\"]", "[13900000001]"),                    // a number among strings
                FULL.replace("\"personId\":\"p-1\"", "\"personId\":7"),
                FULL.replace("\"event\":{", "\"event\":[{").replace("}}", "}]}"),
                FULL + " trailing",
                "[]", "", "{", "null", "{\"v\":1,\"event\":{\"attributes\":[1]}}",
                "{\"v\":1,\"event\":{\"eventTime\":null}}")) {
            byte[] json = odd.getBytes(StandardCharsets.UTF_8);
            assertThat(ResolvedEventReader.read(json)).as(odd).isNull();
        }
    }

    @Test
    void agreesWithBindingOnRandomEvents() throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        int fast = 0;
        for (int i = 0; i < 3_000; i++) {
            String json = randomEvent(r);
            if (assertSame(json)) {
                fast++;
            }
        }
        assertThat(fast).as("most random events take the fast way (the others are odd on purpose)").isGreaterThan(1_500);
    }

    /** Both ways agree (or the reader leaves it to binding); whether the reader took it. */
    private static boolean assertSame(String json) throws Exception {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ResolvedEvent fast = ResolvedEventReader.read(bytes);
        ResolvedEvent bound;
        try {
            bound = Json.MAPPER.readValue(bytes, ResolvedEvent.class);
        } catch (java.io.IOException e) {
            assertThat(fast).as("binding refuses %s", json).isNull();
            return false;
        }
        if (fast == null) {
            return false;
        }
        assertThat(fast).as(json).isEqualTo(bound);
        if (bound.event() != null && bound.event().attributes() != null) {
            for (var a : bound.event().attributes().entrySet()) {
                Object mine = fast.event().attributes().get(a.getKey());
                assertThat(mine == null ? null : mine.getClass()).as("type of %s in %s", a.getKey(), json)
                        .isEqualTo(a.getValue() == null ? null : a.getValue().getClass());
            }
            assertThat(new ArrayList<>(fast.event().attributes().keySet())).as("order").isEqualTo(new ArrayList<>(bound.event().attributes().keySet()));
        }
        return true;
    }

    private static String randomEvent(SplittableRandom r) {
        StringBuilder b = new StringBuilder("{");
        List<String> members = new ArrayList<>();
        members.add("\"v\":" + pick(r, "1", "1", "1", "2", "\"1\"", "null"));
        if (r.nextInt(10) > 0) {
            members.add("\"personId\":" + pick(r, "\"p" + r.nextInt(1000) + "\"", "null", "\"\""));
        }
        if (r.nextInt(4) > 0) {
            members.add("\"identifiers\":" + pick(r, "{\"MOBILE\":[\"139" + r.nextInt(100_000_000) + "\"]}", "{}", "null",
                    "{\"EMAIL\":[\"x@y.z\",null],\"IDFA\":[]}", "{\"OPEN_ID\":null}"));
        }
        if (r.nextInt(8) > 0) {
            members.add("\"event\":" + randomCanonical(r));
        }
        if (r.nextInt(5) == 0) {
            members.add("\"extra\":" + pick(r, "1", "{\"a\":[1,2,{\"b\":null}]}", "\"x\"", "[]"));
        }
        java.util.Collections.shuffle(members, new java.util.Random(r.nextLong()));
        if (r.nextInt(10) == 0 && !members.isEmpty()) {
            members.add(members.get(0)); // a member twice: the last one counts
        }
        b.append(String.join(",", members)).append('}');
        return b.toString();
    }

    private static String randomCanonical(SplittableRandom r) {
        List<String> m = new ArrayList<>();
        m.add("\"v\":1");
        m.add("\"eventId\":\"e" + r.nextInt(1_000_000) + "\"");
        m.add("\"orgId\":" + pick(r, "\"org1\"", "\"o\\\"2\"", "null"));
        m.add("\"customerId\":\"c" + r.nextInt(100) + "\"");
        m.add("\"channel\":" + pick(r, "\"app\"", "null", "\"\\u4e2d\""));
        if (r.nextBoolean()) {
            m.add("\"appType\":" + pick(r, "\"APP\"", "\"WEB\"", "null", "\"MINI_PROGRAM\""));
        }
        m.add("\"eventCode\":\"e" + r.nextInt(100) + "\"");
        if (r.nextInt(6) > 0) {
            List<String> attrs = new ArrayList<>();
            for (int i = r.nextInt(5); i > 0; i--) {
                attrs.add("\"a" + r.nextInt(6) + "\":" + pick(r, Integer.toString(r.nextInt()), Long.toString(r.nextLong()), "-0", "0.0",
                        Double.toString(r.nextDouble() * 1000), "1e-7", "\"s" + r.nextInt(9) + "\"", "true", "false", "null", "[1,\"x\",[2.5]]",
                        "{\"k\":{\"j\":1}}", "99999999999999999999", "\"\\n\\t\""));
            }
            m.add("\"attributes\":" + (r.nextInt(10) == 0 ? "null" : "{" + String.join(",", attrs) + "}"));
        }
        m.add("\"eventTime\":" + pick(r, Long.toString(1_795_824_000_000L + r.nextInt(1_000_000)), "0", "-5", "2147483648"));
        m.add("\"ingestTime\":" + (1_795_824_000_000L + r.nextInt(1_000_000)));
        if (r.nextInt(4) == 0) {
            m.add("\"customerIdType\":" + pick(r, "\"ONEID\"", "\"MOBILE\"", "null"));
        }
        if (r.nextInt(5) == 0) {
            m.add("\"unknown\":" + pick(r, "{\"x\":[{}]}", "3.5", "\"y\""));
        }
        java.util.Collections.shuffle(m, new java.util.Random(r.nextLong()));
        return "{" + String.join(",", m) + "}";
    }

    private static String pick(SplittableRandom r, String... options) {
        return options[r.nextInt(options.length)];
    }
}
