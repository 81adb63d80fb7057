package dev.qaengine.controlplane.secret;

import dev.qaengine.controlplane.support.ControlPlaneTest;
import dev.qaengine.model.SecretBox;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service sealed its probe with QA_SECRET_KEY at start; another key would have been refused. */
class SecretKeyCheckTest extends ControlPlaneTest {
    @Autowired
    JdbcClient jdbc;
    @Autowired
    SecretKeyCheck check;

    @Test
    void theProbeWasSealedWithTheConfiguredKey() {
        String probe = jdbc.sql("select probe from secret_key_check where id = 1").query(String.class).single();
        assertThat(JOBS_SECRET_BOX.open(probe)).isEqualTo(SecretKeyCheck.PROBE);
        check.afterSingletonsInstantiated(); // a restart with the same key passes
    }

    @Test
    void aProbeSealedWithAnotherKeyStopsTheStart() {
        String foreign = SecretBox.fromBase64(SecretBox.newKeyBase64()).seal(SecretKeyCheck.PROBE);
        assertThatThrownBy(() -> check.check(foreign)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not the key this database's secrets were sealed with");
        assertThatThrownBy(() -> check.check(JOBS_SECRET_BOX.seal("something else"))).isInstanceOf(IllegalStateException.class);
    }
}
