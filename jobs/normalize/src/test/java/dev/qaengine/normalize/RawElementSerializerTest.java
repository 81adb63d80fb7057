package dev.qaengine.normalize;

import dev.qaengine.model.DlqReason;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RawElementSerializerTest {
    final EventParser parser = new EventParser(Limits.defaults());

    @Test
    void roundTripsGoodRejectedAndArrayElementsFieldForField() throws Exception {
        List<RawElement> elements = new java.util.ArrayList<>();
        elements.addAll(parser.parse(Fixtures.event("c-ü-1", "add_to_cart", EventParserTest.NOW, "{\"sku\":\"A→1\",\"price\":12.5}")
                .getBytes(StandardCharsets.UTF_8), new EventParser.Source("t", 1, 9, EventParserTest.NOW, "key".getBytes())));
        elements.addAll(parser.parse("{broken".getBytes(), new EventParser.Source("t", 0, 3, 5, null)));
        elements.addAll(parser.parse(("[" + Fixtures.event("c2", "login", EventParserTest.NOW, "{}") + ",7]").getBytes(),
                new EventParser.Source("t", 0, 4, EventParserTest.NOW, null)));
        // beyond 64 KiB of original bytes the strings travel as strings, not as places in the original
        elements.addAll(parser.parse(Fixtures.event("c3", "add_to_cart", EventParserTest.NOW, "{\"sku\":\"" + "x".repeat(4000)
                + "\",\"price\":12.5}").replace("\"v\":1", "\"pad\":\"" + "p".repeat(70_000) + "\",\"v\":1").getBytes(StandardCharsets.UTF_8),
                new EventParser.Source("t", 1, 10, EventParserTest.NOW, null)));
        // a message the fast path leaves to Jackson (an escape): no spans
        elements.addAll(parser.parse(Fixtures.event("c\\u00fc4", "login", EventParserTest.NOW, "{}").getBytes(StandardCharsets.UTF_8),
                new EventParser.Source("t", 1, 11, EventParserTest.NOW, null)));
        assertThat(elements).extracting(e -> e.reject).containsExactly(null, DlqReason.MALFORMED_JSON, null, DlqReason.MALFORMED_JSON, null, null);
        assertThat(elements).extracting(e -> e.spans != null).containsExactly(true, false, false, false, true, false);
        assertThat(elements.get(5).customerId).isEqualTo("cü4");

        for (RawElement e : elements) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            RawElementSerializer.INSTANCE.serialize(e, out);
            RawElement back = RawElementSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(back).usingRecursiveComparison().ignoringFields("spans").isEqualTo(e);
            assertThat(back.spans).isEqualTo(e.original.length < 0xFFFF ? e.spans : null);
            assertThat(RawElementSerializer.INSTANCE.copy(e)).usingRecursiveComparison().isEqualTo(e);
        }
    }

    @Test
    void restoresFromItsOwnSnapshot() {
        var snapshot = RawElementSerializer.INSTANCE.snapshotConfiguration();
        assertThat(snapshot.restoreSerializer()).isSameAs(RawElementSerializer.INSTANCE);
        assertThat(Map.of("type", RawElementSerializer.TYPE.createSerializer(null))).containsValue(RawElementSerializer.INSTANCE);
    }
}
