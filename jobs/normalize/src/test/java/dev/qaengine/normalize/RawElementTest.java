package dev.qaengine.normalize;

import dev.qaengine.model.DlqReason;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RawElementTest {
    final EventParser parser = new EventParser(Limits.defaults());

    RawElement parse(String json, int partition) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), new EventParser.Source("t", partition, 0, EventParserTest.NOW, null)).get(0);
    }

    @Test
    void theRoutingKeyIsAStableHashOfOrgAndCustomerOnly() {
        // Pinned: a checkpoint's keyed state and de-duplication table are laid out by it.
        assertThat(RawElement.route("o", "c")).isEqualTo(RawElement.route("o", "c")).isEqualTo(-5_229_996_863_992_420_027L);
        assertThat(RawElement.route("ab", "c")).isNotEqualTo(RawElement.route("a", "bc"));
        RawElement a = parse(Fixtures.event("c1", "add_to_cart", EventParserTest.NOW, "{\"sku\":\"A\"}"), 0);
        RawElement b = parse(Fixtures.event("c1", "login", EventParserTest.NOW + 5, "{}"), 1);
        RawElement c = parse(Fixtures.event("c2", "login", EventParserTest.NOW, "{}"), 0);
        assertThat(a.routingKey()).isEqualTo(b.routingKey()).isEqualTo(RawElement.route(Fixtures.ORG, "c1")).isNotEqualTo(c.routingKey());
    }

    @Test
    void rejectedMessagesAreSpreadBySourcePartition() {
        RawElement r0 = parse("{broken", 0);
        RawElement r1 = parse("{broken", 1);
        assertThat(r0.reject).isEqualTo(DlqReason.MALFORMED_JSON);
        assertThat(r0.routingKey()).isEqualTo(parse("[]", 0).routingKey()).isNotEqualTo(r1.routingKey());
    }
}
