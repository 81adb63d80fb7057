package dev.qaengine.normalize;

import dev.qaengine.common.ControlRecords;
import dev.qaengine.common.ControlStream.ControlEntry;
import dev.qaengine.common.Settings;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.DlqReason;
import dev.qaengine.model.EventCatalog;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The keyed operator alone, in Flink's test harness: definitions, grace, de-duplication, versions. */
class NormalizeFunctionTest {
    static final long NOW = EventParserTest.NOW;
    final EventParser parser = new EventParser(Limits.from(Settings.of(Map.of())));
    KeyedBroadcastOperatorTestHarness<Long, RawElement, ControlEntry, KafkaOut> harness;

    @BeforeEach
    void open() throws Exception {
        open(Map.of());
    }

    /** Opens the operator as if qa.control had these end offsets when the job started. */
    void open(Map<Integer, Long> controlEnd) throws Exception {
        if (harness != null) {
            harness.close();
        }
        harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new NormalizeFunction(Duration.ofHours(1), Duration.ofSeconds(5), () -> controlEnd),
                RawElement::routingKey, Types.LONG, NormalizeFunction.CATALOGS, NormalizeFunction.CONTROL_PROGRESS);
        harness.setProcessingTime(0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    RawElement event(String customer, String code, String attrs) {
        return parser.parse(Fixtures.event(customer, code, NOW, attrs).getBytes(StandardCharsets.UTF_8),
                new EventParser.Source("t", 0, 0, NOW, null)).get(0);
    }

    void publish(EventCatalog catalog, long version) throws Exception {
        publish(catalog, version, -1);
    }

    void publish(EventCatalog catalog, long version, long offset) throws Exception {
        var r = ControlRecords.catalog(catalog, version);
        harness.processBroadcastElement(new ControlEntry(new String(r.key(), StandardCharsets.UTF_8),
                new String(r.value(), StandardCharsets.UTF_8), 0, offset), 0);
    }

    List<String> outputs() {
        return harness.extractOutputValues().stream().map(o -> new String(o.value, StandardCharsets.UTF_8)).toList();
    }

    List<RawElement> dlq() {
        var side = harness.getSideOutput(NormalizeFunction.DLQ);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void aMessageSeenTwiceYieldsOneCanonicalEvent() throws Exception {
        publish(Fixtures.catalog(), 1);
        harness.processElement(event("c1", "add_to_cart", "{\"sku\":\"A\",\"price\":\"1\"}"), NOW);
        harness.processElement(event("c1", "add_to_cart", "{\"price\":1.0,\"sku\":\"A\"}"), NOW);
        harness.processElement(event("c1", "add_to_cart", "{\"sku\":\"B\",\"price\":\"1\"}"), NOW);
        assertThat(outputs()).hasSize(2);
        assertThat(dlq()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void remembersAnIdForTheHorizonOnly() throws Exception {
        publish(Fixtures.catalog(), 1);
        harness.processElement(event("c1", "login", "{}"), NOW);
        harness.setProcessingTime(Duration.ofHours(1).toMillis() - 1);
        harness.processElement(event("c1", "login", "{}"), NOW); // within the horizon: a duplicate
        assertThat(outputs()).hasSize(1);
        // Far past the horizon, once the table has had to make room, the id is forgotten.
        harness.setProcessingTime(Duration.ofHours(3).toMillis());
        for (int i = 0; i < 70_000; i++) {
            harness.processElement(event("filler-" + i, "login", "{}"), NOW);
        }
        int before = outputs().size();
        harness.processElement(event("c1", "login", "{}"), NOW);
        assertThat(outputs()).hasSize(before + 1);
    }

    @Test
    void theOutputKeyIsOrgAndCustomer() throws Exception {
        publish(Fixtures.catalog(), 1);
        harness.processElement(event("c-ü→1", "login", "{}"), NOW);
        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(o -> assertThat(new String(o.key, StandardCharsets.UTF_8)).isEqualTo(Fixtures.ORG + "|c-ü→1"));
    }

    @Test
    void afterARestoreRecognizesEventsAcceptedBeforeTheSnapshot() throws Exception {
        publish(Fixtures.catalog(), 1);
        harness.processElement(event("c1", "login", "{}"), NOW);
        var snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = new KeyedBroadcastOperatorTestHarness<>(
                new org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator<>(
                        new NormalizeFunction(Duration.ofHours(1), Duration.ofSeconds(5), Map::of),
                        List.of(NormalizeFunction.CATALOGS, NormalizeFunction.CONTROL_PROGRESS)),
                RawElement::routingKey, Types.LONG, 1, 1, 0);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement(event("c1", "login", "{}"), NOW); // memory is empty: RocksDB state knows it
        harness.processElement(event("c3", "login", "{}"), NOW);
        assertThat(outputs()).singleElement().asString().contains("\"customerId\":\"c3\"");
    }

    RawElement parseAt(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), new EventParser.Source("t", 0, 0, NOW, null)).get(0);
    }

    @Test
    void holdsAnEventOfAnUnknownOrgForTheGraceAndNormalizesItOnceTheDefinitionsArrive() throws Exception {
        harness.processElement(event("c1", "login", "{}"), NOW);
        assertThat(outputs()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        publish(Fixtures.catalog(), 1);
        harness.setProcessingTime(5_000);
        assertThat(outputs()).hasSize(1).first().asString().contains("\"eventCode\":\"login\"");
        assertThat(dlq()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void atStartHoldsEveryEventUntilTheDefinitionsThatAlreadyExistedAreApplied() throws Exception {
        open(Map.of(0, 3L)); // qa.control held offsets 0..2 when the job started
        harness.processElement(event("c1", "login", "{}"), NOW);
        publish(Fixtures.catalog("other-org"), 1, 0);
        publish(Fixtures.catalog(), 1, 1);
        harness.setProcessingTime(10_000); // far beyond the grace: still held, offset 2 is not applied yet
        assertThat(outputs()).isEmpty();
        assertThat(dlq()).isEmpty();

        harness.processBroadcastElement(new ControlEntry("JOURNEY_PLAN:j1", "{}", 0, 2), 0); // another job's kind
        harness.setProcessingTime(10_100);
        assertThat(outputs()).singleElement().asString().contains("\"customerId\":\"c1\"");
        assertThat(dlq()).isEmpty();
        harness.processElement(event("c2", "login", "{}"), NOW);
        assertThat(outputs()).hasSize(2); // past the gate, nothing waits
    }

    @Test
    void rejectsAfterTheGraceWhenTheDefinitionsNeverCome() throws Exception {
        harness.processElement(event("c1", "login", "{}"), NOW);
        harness.setProcessingTime(4_999);
        assertThat(dlq()).isEmpty();
        harness.setProcessingTime(5_000);
        assertThat(dlq()).singleElement().satisfies(e -> {
            assertThat(e.reject).isEqualTo(DlqReason.UNKNOWN_ORG);
            assertThat(e.detail).contains(Fixtures.ORG);
        });
        assertThat(outputs()).isEmpty();
    }

    @Test
    void aLiveUpdateAddsAnEventWithoutARestartAndAnOlderVersionIsIgnored() throws Exception {
        publish(Fixtures.catalog(), 1);
        harness.processElement(event("c1", "purchase", "{\"amount\":\"9\"}"), NOW);
        harness.setProcessingTime(5_000);
        assertThat(dlq()).singleElement().satisfies(e -> assertThat(e.reject).isEqualTo(DlqReason.UNKNOWN_EVENT));

        publish(Fixtures.catalogWithPurchase(), 2);
        harness.processElement(event("c2", "purchase", "{\"amount\":\"9\"}"), NOW);
        assertThat(outputs()).singleElement().asString().contains("\"amount\":9");

        publish(Fixtures.catalog(), 1); // a stale republication must not roll the definition back
        harness.processElement(event("c3", "purchase", "{\"amount\":\"9\"}"), NOW);
        assertThat(outputs()).hasSize(2);
    }

    @Test
    void aTombstoneRemovesTheOrgAndABadControlRecordChangesNothing() throws Exception {
        publish(Fixtures.catalog(), 1);
        harness.processBroadcastElement(new ControlEntry("EVENT_CATALOG:" + Fixtures.ORG, "{\"version\":5,\"payload\":[]}"), 0);
        harness.processElement(event("c1", "login", "{}"), NOW);
        assertThat(outputs()).hasSize(1);

        var tomb = ControlRecords.tombstone(ControlKind.EVENT_CATALOG, Fixtures.ORG);
        harness.processBroadcastElement(new ControlEntry(new String(tomb.key(), StandardCharsets.UTF_8), null), 0);
        assertThat(harness.getBroadcastState(NormalizeFunction.CATALOGS).contains(Fixtures.ORG)).isFalse();
        harness.processElement(event("c2", "login", "{}"), NOW);
        harness.setProcessingTime(5_000);
        assertThat(dlq()).singleElement().satisfies(e -> assertThat(e.reject).isEqualTo(DlqReason.UNKNOWN_ORG));
    }

    @Test
    void aRecordAlreadyRejectedByTheParserGoesStraightToTheDlqWithoutState() throws Exception {
        RawElement bad = parser.parse("{oops".getBytes(), new EventParser.Source("t", 0, 7, NOW, null)).get(0);
        harness.processElement(bad, NOW);
        assertThat(dlq()).singleElement().satisfies(e -> assertThat(e.reject).isEqualTo(DlqReason.MALFORMED_JSON));
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }
}
