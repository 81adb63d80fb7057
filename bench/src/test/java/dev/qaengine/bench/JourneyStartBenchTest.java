package dev.qaengine.bench;

import dev.qaengine.model.journey.NodeType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JourneyStartBenchTest {
    @Test
    void optionsHaveDefaultsAndRefuseNonsenseWithTheUsage() {
        assertThat(JourneyStartBench.Options.parse("--out", "x")).isEqualTo(new JourneyStartBench.Options(10, 1000, 15, Path.of("x")));
        assertThat(JourneyStartBench.Options.parse("--journeys", "20", "--rate", "5k", "--warmup", "0").rate()).isEqualTo(5000);
        assertThatThrownBy(() -> JourneyStartBench.Options.parse("--rate")).hasMessageStartingWith("missing value after --rate");
        assertThatThrownBy(() -> JourneyStartBench.Options.parse("--journeys", "0")).hasMessageContaining(JourneyStartBench.USAGE);
        assertThatThrownBy(() -> JourneyStartBench.Options.parse("--speed", "1")).hasMessageStartingWith("unknown option --speed");
    }

    @Test
    void theMeasuredJourneySendsOnEveryEventWithTheSendTimeAsAVariable() {
        var plan = JourneyStartBench.plan("start-1");
        assertThat(plan.trigger().event().eventCode()).isEqualTo(JourneyStartBench.CODE);
        assertThat(plan.steps()).singleElement().satisfies(s -> {
            assertThat(s.type()).isEqualTo(NodeType.SMS);
            assertThat(s.action().variables()).singleElement().satisfies(v -> assertThat(v.from()).isEqualTo("sentAt"));
        });
    }
}
