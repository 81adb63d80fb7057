package dev.qaengine.normalize;

import dev.qaengine.common.Settings;
import dev.qaengine.model.AppType;
import dev.qaengine.model.DlqReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ValidationTest {
    final Catalog catalog = new Catalog(Fixtures.catalog(), 1);
    final EventParser parser = new EventParser(Limits.from(Settings.of(Map.of())));

    RawElement parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), new EventParser.Source("t", 0, 0, EventParserTest.NOW, null)).get(0);
    }

    String msg(String channel, String code, String attrs) {
        return "{\"orgnizationId\":\"" + Fixtures.ORG + "\",\"customerId\":\"c\"," + (channel == null ? "" : "\"eventSourceCode\":\"" + channel + "\",")
                + "\"eventCode\":\"" + code + "\",\"eventTime\":" + EventParserTest.NOW + ",\"extendAttributes\":" + attrs + "}";
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            shop-app | add_to_cart | {"sku":"A","price":"3"}        | -
            -        | add_to_cart | {"price":3.25}                 | -
            shop-app | add_to_cart | {"city":"Hangzhou"}            | -
            mini     | login       | {}                             | -
            nowhere  | login       | {}                             | UNKNOWN_CHANNEL
            shop-app | teleport    | {}                             | UNKNOWN_EVENT
            mini     | add_to_cart | {}                             | UNKNOWN_EVENT
            shop-app | add_to_cart | {"colour":"red"}               | BAD_ATTRIBUTE
            mini     | login       | {"city":"Hangzhou"}            | BAD_ATTRIBUTE
            shop-app | add_to_cart | {"price":"12,5"}               | BAD_ATTRIBUTE
            shop-app | add_to_cart | {"price":"NaN"}                | BAD_ATTRIBUTE
            shop-app | add_to_cart | {"price":"1e999999"}           | BAD_ATTRIBUTE
            """)
    void appliesTheDefinitions(String channel, String code, String attrs, DlqReason expected) {
        Validation.Outcome o = Validation.validate(parse(msg(channel, code, attrs)), catalog);
        assertThat(o.reason()).isEqualTo(expected);
        if (expected != null) {
            assertThat(o.detail()).isNotBlank();
        }
    }

    @Test
    void anUnknownOrgHasNoCatalog() {
        assertThat(Validation.validate(parse(msg(null, "login", "{}")), null).reason()).isEqualTo(DlqReason.UNKNOWN_ORG);
    }

    @Test
    void takesTheAppTypeFromTheEventsChannelWhenTheMessageNamesNone() {
        Validation.Outcome o = Validation.validate(parse(msg(null, "add_to_cart", "{}")), catalog);
        assertThat(o.appType()).isEqualTo(AppType.APP);
        assertThat(Validation.validate(parse(msg(null, "login", "{}")), catalog).appType()).isNull();
    }

    @ParameterizedTest
    @CsvSource({"12.50,12.5", "1.25e1,12.5", "100,100", "-0.0,0", "007,7", ".5,0.5", "3,3", "-00.500,-0.5", "0,0", "-0,0", "10.0,10", "5.,5"})
    void writesNumbersInOneCanonicalForm(String in, String out) {
        assertThat(Validation.canonicalNumber(in)).isEqualTo(out);
    }

    /** The quick path for plain decimals writes exactly what BigDecimal writes, and declines what it cannot judge. */
    @Test
    void plainDecimalsWithoutBigDecimalAreWrittenAsBigDecimalWritesThem() {
        java.util.Random rnd = new java.util.Random(11);
        String alphabet = "0000123456789..--e+ x١";
        int simple = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = rnd.nextInt(24);
            for (int k = 0; k < n; k++) {
                b.append(alphabet.charAt(rnd.nextInt(rnd.nextInt(4) == 0 ? alphabet.length() : 14)));
            }
            String s = b.toString();
            String quick = Validation.simpleDecimal(s);
            if (quick != null) {
                simple++;
                assertThat(quick).as(s).isEqualTo(Validation.decimal(s));
            }
            assertThat(Validation.canonicalNumber(s)).as(s).isEqualTo(Validation.decimal(s));
        }
        assertThat(simple).isGreaterThan(10_000);
        for (String s : new String[] {"", "-", ".", "-.5", "5.", "1.2.3", "--1", "+1", " 1", "1 ", "12345678901234567890",
                "123456789012345678901", "0000000000000000000.1", "-0", "-0.000", "1e5"}) {
            String quick = Validation.simpleDecimal(s);
            if (quick != null) {
                assertThat(quick).as(s).isEqualTo(Validation.decimal(s));
            }
            assertThat(Validation.canonicalNumber(s)).as(s).isEqualTo(Validation.decimal(s));
        }
    }

    @Test
    void theEventIdIgnoresFormattingButNotContent() {
        CanonicalWriter w = new CanonicalWriter();
        String a = w.write(parse(msg("shop-app", "add_to_cart", "{\"sku\":\"A\",\"price\":\"3.0\"}")),
                Validation.validate(parse(msg("shop-app", "add_to_cart", "{\"sku\":\"A\",\"price\":\"3.0\"}")), catalog)).eventId();
        RawElement reordered = parse(msg("shop-app", "add_to_cart", "{ \"price\" : 3 , \"sku\" : \"A\" }"));
        String b = w.write(reordered, Validation.validate(reordered, catalog)).eventId();
        RawElement other = parse(msg("shop-app", "add_to_cart", "{\"sku\":\"B\",\"price\":\"3\"}"));
        String c = w.write(other, Validation.validate(other, catalog)).eventId();
        assertThat(a).isEqualTo(b).hasSize(32).matches("[0-9a-f]+");
        assertThat(c).isNotEqualTo(a);
    }
}
