package dev.qaengine.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.qaengine.common.Json;
import dev.qaengine.model.AttributeDefinition;
import dev.qaengine.model.AttributeType;
import dev.qaengine.model.EventCatalog;
import dev.qaengine.model.EventDefinition;
import dev.qaengine.model.EventMessageV1;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventWorkloadTest {
    private static final long BASE = 1_764_000_000_000L;
    private final EventWorkload workload = new EventWorkload(42, BASE, 100_000, 2_000_000);

    @Test
    void the_same_index_gives_the_same_bytes_in_another_instance() {
        EventWorkload again = new EventWorkload(42, BASE, 100_000, 2_000_000);
        for (long i : new long[]{0, 1, 17, 999_999, 1_999_999}) {
            assertThat(again.value(i)).isEqualTo(workload.value(i));
            assertThat(again.key(i)).isEqualTo(workload.key(i));
        }
        assertThat(new EventWorkload(43, BASE, 100_000, 2_000_000).value(17)).isNotEqualTo(workload.value(17));
    }

    @Test
    void records_average_the_reference_size() {
        long bytes = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            bytes += workload.value(i * 97L).length;
        }
        assertThat((double) bytes / n).isBetween(255.0, 271.0);
    }

    @Test
    void every_record_is_a_valid_event_message_of_the_catalog() throws Exception {
        EventCatalog catalog = EventWorkload.catalog();
        Map<String, EventDefinition> events = catalog.events().stream()
                .collect(Collectors.toMap(EventDefinition::eventCode, e -> e));
        Map<String, AttributeType> globals = catalog.channels().get(0).globalAttributes().stream()
                .collect(Collectors.toMap(AttributeDefinition::id, AttributeDefinition::type));
        Map<String, Integer> codes = new HashMap<>();
        for (long i = 0; i < 5_000; i++) {
            byte[] value = workload.value(i);
            EventMessageV1 m = Json.MAPPER.readValue(value, EventMessageV1.class);
            // nothing beyond the v1 fields
            assertThat(Json.MAPPER.readValue(value, new TypeReference<Map<String, Object>>() { }).keySet())
                    .containsExactlyInAnyOrder("orgnizationId", "customerId", "eventSourceCode", "eventCode", "eventTime",
                            "extendAttributes", "v");
            assertThat(m.orgId()).isEqualTo(EventWorkload.ORG);
            assertThat(m.eventSourceCode()).isEqualTo(EventWorkload.CHANNEL);
            assertThat(m.v()).isEqualTo(1);
            assertThat(m.customerId()).matches("c\\d{7}").isEqualTo(new String(workload.key(i), StandardCharsets.US_ASCII));
            assertThat(m.eventTime()).isBetween(BASE, BASE + EventWorkload.MAX_SPAN.toMillis());
            EventDefinition def = events.get(m.eventCode());
            assertThat(def).as(m.eventCode()).isNotNull();
            Map<String, AttributeType> allowed = new HashMap<>(globals);
            def.attributes().forEach(a -> allowed.put(a.id(), a.type()));
            m.extendAttributes().forEach((k, v) -> {
                assertThat(allowed).as("attribute %s of %s", k, m.eventCode()).containsKey(k);
                if (allowed.get(k) == AttributeType.NUMBER) {
                    assertThat(new BigDecimal(v)).isNotNull();
                }
            });
            codes.merge(m.eventCode(), 1, Integer::sum);
        }
        assertThat(codes.keySet()).containsExactlyInAnyOrder("view_item", "add_to_cart", "purchase", "search");
    }

    @Test
    void event_times_ascend_stay_in_the_span_and_customer_and_time_are_unique() {
        Set<String> seen = new HashSet<>();
        Set<String> customers = new HashSet<>();
        long previous = Long.MIN_VALUE;
        EventWorkload w = new EventWorkload(7, BASE, 1_000, 300_000);
        for (long i = 0; i < w.count(); i++) {
            long t = w.eventTime(i);
            assertThat(t).isGreaterThanOrEqualTo(previous);
            previous = t;
            assertThat(seen.add(w.customerId(i) + "@" + t)).as("index %d", i).isTrue();
            customers.add(w.customerId(i));
        }
        assertThat(customers).hasSize(1_000);
        assertThat(workload.lastEventTime()).isLessThan(BASE + EventWorkload.MAX_SPAN.toMillis());
    }

    @Test
    void a_workload_with_too_few_customers_for_unique_events_is_refused() {
        assertThatThrownBy(() -> new EventWorkload(1, BASE, 10, 100_000_000))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
