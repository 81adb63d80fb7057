package dev.qaengine.controlplane.persistence;

import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * Production's database: the PostgreSQL at 127.0.0.1:5432, database {@code test} (override with
 * QA_TEST_PG_URL / QA_TEST_PG_USER / QA_TEST_PG_PASSWORD). Each run migrates a schema of its own,
 * {@code cp_test_<random>}, and drops it afterwards, so runs never clash.
 */
class PostgresPersistenceTest extends PersistenceContract {
    static final String URL = env("QA_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = env("QA_TEST_PG_USER", "postgres");
    static final String PASSWORD = env("QA_TEST_PG_PASSWORD", "");
    static final String SCHEMA = "cp_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("qa.db.url", () -> URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA);
        registry.add("qa.db.user", () -> USER);
        registry.add("qa.db.password", () -> PASSWORD);
        registry.add("spring.flyway.schemas", () -> SCHEMA);
        registry.add("spring.flyway.default-schema", () -> SCHEMA);
    }

    @AfterAll
    static void dropSchema() throws Exception {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + SCHEMA + " cascade");
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
