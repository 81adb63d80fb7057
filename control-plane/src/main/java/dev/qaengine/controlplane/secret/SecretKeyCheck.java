package dev.qaengine.controlplane.secret;

import dev.qaengine.controlplane.config.Clocks;
import dev.qaengine.model.SecretBox;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Refuses to start with a key that cannot open the secrets the database holds — a changed QA_SECRET_KEY, a
 * lost key file — instead of failing later, one secret at a time. The first start with a database seals a
 * probe value into {@code secret_key_check}; every later start must open it.
 */
@Component
public class SecretKeyCheck implements SmartInitializingSingleton {
    static final String PROBE = "qa-control-plane secret key check";

    private final JdbcClient jdbc;
    private final SecretBox box;
    private final Clocks clocks;

    public SecretKeyCheck(JdbcClient jdbc, SecretBox box, Clocks clocks) {
        this.jdbc = jdbc;
        this.box = box;
        this.clocks = clocks;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Optional<String> probe = stored();
        if (probe.isEmpty()) {
            try {
                jdbc.sql("insert into secret_key_check (id, probe, created_at) values (1, ?, ?)").params(box.seal(PROBE), clocks.now()).update();
                return;
            } catch (DuplicateKeyException e) {
                probe = stored(); // another instance started at the same moment
            }
        }
        check(probe.orElseThrow());
    }

    void check(String sealedProbe) {
        if (!box.opens(sealedProbe) || !PROBE.equals(box.open(sealedProbe))) {
            throw new IllegalStateException("the secret key (QA_SECRET_KEY, or the generated key file) is not the key this "
                    + "database's secrets were sealed with; start with that key — with another one no stored secret can be read");
        }
    }

    private Optional<String> stored() {
        return jdbc.sql("select probe from secret_key_check where id = 1").query(String.class).optional();
    }
}
