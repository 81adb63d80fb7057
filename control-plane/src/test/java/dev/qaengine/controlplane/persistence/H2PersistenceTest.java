package dev.qaengine.controlplane.persistence;

import org.springframework.test.context.TestPropertySource;

/** The zero-install default: H2 in PostgreSQL mode, with the flags application.yml uses. */
@TestPropertySource(properties =
        "qa.db.url=jdbc:h2:mem:cp-persistence;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
class H2PersistenceTest extends PersistenceContract {
}
