package dev.qaengine.local;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalStackTest {

    @Test
    void printedUrlsHideTheirPasswords() {
        assertThat(LocalStack.masked("postgresql://qa:s3cret@127.0.0.1:5432/qa")).isEqualTo("postgresql://qa:***@127.0.0.1:5432/qa");
        assertThat(LocalStack.masked("redis://:pw@127.0.0.1:6379/0")).isEqualTo("redis://:***@127.0.0.1:6379/0");
        assertThat(LocalStack.masked("jdbc:postgresql://h/qa?user=qa&password=x1&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/qa?user=qa&password=***&ssl=true");
        assertThat(LocalStack.masked("redis://127.0.0.1:6379")).isEqualTo("redis://127.0.0.1:6379");
    }
}
