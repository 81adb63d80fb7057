package dev.qaengine.controlplane.tenancy;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeysTest {
    @Test
    void keysAreRandomPrefixedAndHashedStably() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            keys.add(ApiKeys.generate());
        }
        assertThat(keys).hasSize(100).allSatisfy(k -> assertThat(k).startsWith("qak_").hasSize(4 + 43).matches("qak_[A-Za-z0-9_-]+"));
        // SHA-256 test vector
        assertThat(ApiKeys.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ApiKeys.visiblePrefix("qak_abcdefghijk")).isEqualTo("qak_abcdefgh");
    }

    @Test
    void rolesIncludeTheOnesBelow() {
        assertThat(Role.ADMIN.includes(Role.DEVELOPER)).isTrue();
        assertThat(Role.DEVELOPER.includes(Role.ANALYST)).isTrue();
        assertThat(Role.ANALYST.includes(Role.DEVELOPER)).isFalse();
        assertThat(Role.DEVELOPER.includes(Role.ADMIN)).isFalse();
    }
}
