package dev.qaengine.common;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsArgsTest {

    @Test
    void programArgumentsAreSettingsOnTopOfTheEnvironment() {
        Settings s = Settings.fromEnvAndArgs("QA_KAFKA_BOOTSTRAP=kafka:9092", "QA_DEDUP_HORIZON=5m", "QA_EMPTY=");
        assertThat(s.string("QA_KAFKA_BOOTSTRAP", "")).isEqualTo("kafka:9092");
        assertThat(s.duration("QA_DEDUP_HORIZON", Duration.ZERO)).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.get("QA_EMPTY")).as("blank is unset").isEmpty();
        assertThat(Settings.parseArgs("QA_JAAS=a=b;c")).containsEntry("QA_JAAS", "a=b;c");
    }

    @Test
    void anythingElseIsRefused() {
        assertThatThrownBy(() -> Settings.fromEnvAndArgs("--parallelism", "2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("QA_NAME=value");
        assertThatThrownBy(() -> Settings.fromEnvAndArgs("qa_lower=1")).isInstanceOf(IllegalArgumentException.class);
    }
}
