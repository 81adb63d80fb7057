package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.support.Api;
import dev.qaengine.controlplane.support.ControlPlaneTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dry run's body limit (QA_JOURNEYS_DRY_RUN_MAX_BODY_SIZE) set to 2 KB — a context of its own (the others run with the
 * 100 MB default): its own H2 database and bootstrap organization, the same broker, no consumers, no outbox publisher.
 * Above the limit: 413 whether the length is declared, only found out while streaming, or the file comes as a multipart part.
 */
class JourneyDryRunLimitTest extends ControlPlaneTest {
    static final int LIMIT = 2048;

    @DynamicPropertySource
    static void limit(DynamicPropertyRegistry registry) {
        registry.add("qa.journey-dry-run.max-body-size", () -> LIMIT + "B");
        registry.add("qa.db.url", () -> "jdbc:h2:mem:cp-dry-run-limit;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        registry.add("qa.bootstrap.org-id", () -> "dry-run-limit-platform-org");
        registry.add("qa.outbox.publisher-enabled", () -> "false");
        registry.add("qa.identity-audit.consumer-enabled", () -> "false");
        registry.add("qa.journey-status.consumer-enabled", () -> "false");
        registry.add("qa.journey-stats.consumer-enabled", () -> "false");
        registry.add("qa.journey-trace.consumer-enabled", () -> "false");
    }

    /** A journey that lets everyone in on add_to_cart and waits a minute: it uses no template or interface. */
    static final String WAITS = """
            {"v":1,"name":"Waits","trigger":{"type":"EVENT","event":{"eventCode":"add_to_cart","channel":"shop-app"},"participation":{"mode":"ONCE"}},
             "start":"w","nodes":[{"id":"w","type":"WAIT","config":{"duration":{"amount":1,"unit":"MINUTES"}}},{"id":"end","type":"END"}],
             "edges":[{"from":"w","to":"end"}]}""";

    private static void assertTooLarge(Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(413);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.text("/code")).isEqualTo("payload-too-large");
    }

    @Test
    void aFileAboveTheLimitIs413DeclaredStreamedOrAsAPart() {
        Org org = newOrg();
        Api api = org.admin();
        String orgId = org.id();
        assertThat(api.post("/api/v1/event-channels", "{\"appKey\":\"shop-app\",\"name\":\"Shop\",\"appType\":\"APP\"}").status())
                .isEqualTo(201);
        assertThat(api.post("/api/v1/event-definitions",
                "{\"eventCode\":\"add_to_cart\",\"name\":\"Add to cart\",\"channel\":\"shop-app\",\"attributes\":[]}").status()).isEqualTo(201);
        Api.Response created = api.post("/api/v1/journeys", WAITS);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String path = "/api/v1/journeys/" + created.text("/id") + "/dry-run";

        String line = JourneyDryRunApiTest.resolved(orgId, "p1", "13800000001", "e1", "add_to_cart", JourneyDryRunApiTest.T, "") + "\n";
        Api.Response small = api.send("POST", path, JourneyInsightController.NDJSON, HttpRequest.BodyPublishers.ofString(line));
        assertThat(small.status()).as(small.toString()).isEqualTo(200);
        assertThat(small.json().get("entered").asLong()).isEqualTo(1);

        String big = line.repeat(LIMIT / line.length() + 1);
        assertThat(big.length()).isGreaterThan(LIMIT);
        Api.Response declared = api.send("POST", path, JourneyInsightController.NDJSON, HttpRequest.BodyPublishers.ofString(big));
        assertTooLarge(declared);
        assertThat(declared.text("/detail")).isEqualTo("the request body is larger than the limit of 2048 bytes");

        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        Api.Response streamed = api.send("POST", path, JourneyInsightController.NDJSON,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
        assertTooLarge(streamed);
        assertThat(streamed.text("/detail")).isEqualTo("the request body is larger than the limit of 2048 bytes");

        String boundary = "qa-" + UUID.randomUUID();
        byte[] form = JourneyDryRunApiTest.multipart(boundary, "file", big).getBytes(StandardCharsets.UTF_8);
        assertTooLarge(api.send("POST", path, "multipart/form-data; boundary=" + boundary, HttpRequest.BodyPublishers.ofByteArray(form)));
        assertTooLarge(api.send("POST", path, "multipart/form-data; boundary=" + boundary,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(form))));

        // the limit is the dry run's only: a journey definition above it is taken
        Api.Response edited = api.put("/api/v1/journeys/" + created.text("/id"),
                WAITS.replace("\"name\":\"Waits\"", "\"name\":\"Waits\",\"padding\":\"" + "x".repeat(LIMIT) + "\""));
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
    }
}
