package dev.qaengine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qaengine.common.Json;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlPlaneBenchTest {

    @Test
    void optionsHaveDefaultsAndTakeNumbersLikeTheOtherBenches() {
        ControlPlaneBench.Options d = ControlPlaneBench.Options.parse("--out", "/tmp/x");
        assertThat(d.reads()).isEqualTo(20_000);
        assertThat(d.readClients()).isEqualTo(4);
        assertThat(d.batches()).isEqualTo(2_000);
        assertThat(d.javaOptions()).isEqualTo("-Xmx512m");
        assertThat(d.out()).isEqualTo(Path.of("/tmp/x"));
        ControlPlaneBench.Options o = ControlPlaneBench.Options.parse("--reads", "5k", "--batches", "1,000", "--ingest-clients", "8",
                "--java-opts", "-Xmx1g -XX:+UseParallelGC", "--quiet-wait", "0");
        assertThat(o.reads()).isEqualTo(5_000);
        assertThat(o.batches()).isEqualTo(1_000);
        assertThat(o.ingestClients()).isEqualTo(8);
        assertThat(o.javaOptions()).isEqualTo("-Xmx1g -XX:+UseParallelGC");
        assertThatThrownBy(() -> ControlPlaneBench.Options.parse("--reads")).hasMessageContaining("missing value");
        assertThatThrownBy(() -> ControlPlaneBench.Options.parse("--teleport", "1")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> ControlPlaneBench.Options.parse("--reads", "0")).hasMessageContaining("at least 1");
    }

    @Test
    void latencyFiguresAreNearestRankPercentilesInMilliseconds() {
        long[] nanos = new long[100];
        for (int i = 0; i < 100; i++) {
            nanos[i] = (100 - i) * 1_000_000L; // 100 ms down to 1 ms, unsorted
        }
        ControlPlaneBench.Latency l = ControlPlaneBench.Latency.of("x", nanos, 2, 10);
        assertThat(l.count()).isEqualTo(100);
        assertThat(l.p50Ms()).isEqualTo(50.0);
        assertThat(l.p99Ms()).isEqualTo(99.0);
        assertThat(l.maxMs()).isEqualTo(100.0);
        assertThat(l.meanMs()).isEqualTo(50.5);
        assertThat(l.perSecond()).isEqualTo(10.0);
        assertThat(l.errors()).isEqualTo(2);
        assertThat(Stats.percentile(new long[0], 0.99)).isNaN();
        assertThat(Stats.percentile(new long[]{7}, 0.99)).isEqualTo(7);
    }

    @Test
    void batchesAreArraysOfAHundredEventMessagesOfTheBenchOrganization() throws Exception {
        List<byte[]> bodies = ControlPlaneBench.batches(List.of("event_0", "event_1"), 3);
        assertThat(bodies).hasSize(3);
        JsonNode batch = Json.MAPPER.readTree(bodies.get(0));
        assertThat(batch.isArray()).isTrue();
        assertThat(batch).hasSize(ControlPlaneBench.BATCH);
        JsonNode m = batch.get(0);
        assertThat(m.path("orgnizationId").asText()).isEqualTo("bench-org");
        assertThat(m.path("eventCode").asText()).isIn("event_0", "event_1");
        assertThat(m.path("extendAttributes").path("price").asText()).matches("\\d+\\.\\d{2}");
        assertThat(bodies.get(0).length / ControlPlaneBench.BATCH).as("bytes per message").isBetween(180, 400);
        assertThat(bodies.get(0).length).as("well under the API's 1 MiB body limit").isLessThan(1 << 20);
    }
}
