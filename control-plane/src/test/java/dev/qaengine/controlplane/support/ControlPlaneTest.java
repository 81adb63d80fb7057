package dev.qaengine.controlplane.support;

import dev.qaengine.model.SecretBox;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the tests that run the whole service: a real HTTP server on a random port, H2 in memory,
 * the in-JVM Kafka broker, the Redis at 127.0.0.1:6379 (QA_TEST_REDIS_URL overrides it). Every subclass
 * shares this one Spring context (keep their configuration identical), and every test creates its own
 * organization, so tests never see each other's data. The one exception, {@code JourneyRunningLimitTest}, needs a
 * setting the others must not have and runs in a context of its own, apart in everything shared but the broker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "qa.db.url=jdbc:h2:mem:cp-it;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "qa.bootstrap.admin-key=" + ControlPlaneTest.PLATFORM_KEY,
        "qa.bootstrap.org-id=platform-org",
        "qa.security.secret-key=" + ControlPlaneTest.SECRET_KEY,
        "qa.outbox.poll-interval=100ms",
        "qa.outbox.retry-backoff=200ms",
        // the review status poll runs often enough to be observed (pending templates only ever point at FakePlatform)
        "qa.platforms.sync-interval=300ms",
        "qa.platforms.request-timeout=3s",
        // the identity audit consumer notices a missing topic, an outage and its end quickly
        "qa.identity-audit.poll-timeout=200ms",
        "qa.identity-audit.retry-backoff=200ms",
        "qa.identity-audit.probe-interval=500ms",
        // An outage test should not wait out the production timeouts.
        "spring.kafka.producer.properties.request.timeout.ms=3000",
        "spring.kafka.producer.properties.delivery.timeout.ms=6000",
        "spring.kafka.producer.properties.max.block.ms=3000",
        "spring.kafka.producer.properties.reconnect.backoff.max.ms=200"})
@Import(TestUsages.class)
public abstract class ControlPlaneTest {
    /** The fixed bootstrap key (QA_BOOTSTRAP_ADMIN_KEY): platform admin of the default organization. */
    public static final String PLATFORM_KEY = "test-platform-admin-key-0123456789";
    /** QA_SECRET_KEY of the tests; {@link #JOBS_SECRET_BOX} opens what the service sealed, as a job holding the key would. */
    public static final String SECRET_KEY = "c2VjcmV0LWtleS1vZi10aGUtY29udHJvbC1wbGFuZSE=";
    public static final SecretBox JOBS_SECRET_BOX = SecretBox.fromBase64(SECRET_KEY);

    @LocalServerPort
    protected int port;

    /** The Redis the person look-ups read (the identity job's directory); tests write their own keys into it. */
    public static final String REDIS_URL = System.getenv().getOrDefault("QA_TEST_REDIS_URL", "redis://127.0.0.1:6379");

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("qa.kafka.bootstrap", TestKafka::bootstrap);
        registry.add("qa.redis.url", () -> REDIS_URL);
    }

    protected Api platform() {
        return new Api(port, PLATFORM_KEY);
    }

    protected Api anonymous() {
        return new Api(port, null);
    }

    /** An organization of its own for one test, and an ADMIN client of its default workspace. */
    protected Org newOrg() {
        Api.Response r = platform().post("/api/v1/organizations", "{\"name\":\"org " + UUID.randomUUID() + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return new Org(r.text("/organization/id"), r.text("/workspace/id"), new Api(port, r.text("/adminKey/key")));
    }

    /** A key of the given role in the organization's default workspace. */
    protected Api key(Org org, String role) {
        Api.Response r = org.admin().post("/api/v1/api-keys", "{\"name\":\"" + role.toLowerCase() + "\",\"role\":\"" + role + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return new Api(port, r.text("/key"));
    }

    public record Org(String id, String workspaceId, Api admin) {
    }
}
