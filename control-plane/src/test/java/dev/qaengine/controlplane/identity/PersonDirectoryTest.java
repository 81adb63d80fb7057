package dev.qaengine.controlplane.identity;

import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.ProblemCode;
import dev.qaengine.model.IdType;
import dev.qaengine.model.Identifier;
import dev.qaengine.model.PersonRecord;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The look-up's reading rules, and Redis away: refused, silent, or answering garbage. */
class PersonDirectoryTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Identifier MOBILE = new Identifier(IdType.MOBILE, "13800138000");

    /** A directory whose keys answer a sequence of values, one per read (the last one repeats). */
    private static PersonDirectory directory(Map<String, Deque<String>> answers) {
        return new PersonDirectory(key -> {
            Deque<String> d = answers.get(key);
            if (d == null || d.isEmpty()) {
                return null;
            }
            return d.size() > 1 ? d.poll() : d.peek();
        }, JSON);
    }

    private static Deque<String> values(String... v) {
        return new ArrayDeque<>(List.of(v));
    }

    private static String record(String org, String personId) {
        return JSON.writeValueAsString(new PersonRecord(1, org, personId, 1L, 2L, List.of(MOBILE)));
    }

    @Test
    void anIdentifierRewrittenByAMergeIsReadOnceMore() {
        Map<String, Deque<String>> answers = new HashMap<>();
        // first read: the merged person, whose record is already gone; second read: the survivor
        answers.put(PersonRecord.identifierKey("o", MOBILE), values("p-merged", "p-survivor"));
        answers.put(PersonRecord.personKey("o", "p-survivor"), values(record("o", "p-survivor")));
        assertThat(directory(answers).find("o", MOBILE)).get().extracting(PersonRecord::personId).isEqualTo("p-survivor");
    }

    @Test
    void anIdentifierStillLeadingNowhereAfterTheSecondReadIsNotFound() {
        Map<String, Deque<String>> answers = new HashMap<>();
        answers.put(PersonRecord.identifierKey("o", MOBILE), values("p-merged"));
        assertThat(directory(answers).find("o", MOBILE)).isEmpty();
        answers.put(PersonRecord.identifierKey("o", MOBILE), values("p-merged", "p-other"));
        assertThat(directory(answers).find("o", MOBILE)).isEmpty();
    }

    @Test
    void unknownFieldsAreIgnoredAndARecordOfAnotherOrganizationIsNotShown() {
        Map<String, Deque<String>> answers = new HashMap<>();
        answers.put(PersonRecord.identifierKey("o", MOBILE), values("p"));
        answers.put(PersonRecord.personKey("o", "p"), values(record("o", "p").replace("{", "{\"addedLater\":[1],")));
        assertThat(directory(answers).find("o", MOBILE)).isPresent();
        answers.put(PersonRecord.personKey("o", "p"), values(record("other-org", "p")));
        assertThat(directory(answers).find("o", MOBILE)).isEmpty();
    }

    @Test
    void aDamagedRecordIsAnInternalErrorThatDoesNotQuoteIt() {
        Map<String, Deque<String>> answers = new HashMap<>();
        answers.put(PersonRecord.identifierKey("o", MOBILE), values("p"));
        answers.put(PersonRecord.personKey("o", "p"), values("{\"identifiers\":\"13800138000\""));
        assertThatThrownBy(() -> directory(answers).find("o", MOBILE)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ProblemCode.INTERNAL);
            assertThat(e.getMessage()).doesNotContain("13800138000");
        });
    }

    @Test
    void redisRefusingConnectionsIsUnavailableNotAnError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        try (JedisPooled redis = redis("redis://127.0.0.1:" + port)) {
            assertUnavailable(new PersonDirectory(redis, JSON));
        }
    }

    @Test
    void redisNotAnsweringIsUnavailableAfterTheTimeout() throws Exception {
        // Connections are accepted (by the backlog) but nothing is ever answered.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             JedisPooled redis = redis("redis://127.0.0.1:" + silent.getLocalPort())) {
            long start = System.nanoTime();
            assertUnavailable(new PersonDirectory(redis, JSON));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    private static JedisPooled redis(String url) {
        QaProperties properties = new QaProperties(null, null, null, null, null, null, null, null, null,
                new QaProperties.Redis(url, Duration.ofMillis(500), 2), null, null, null, null, null, null);
        return new dev.qaengine.controlplane.config.RedisConnection().redis(properties);
    }

    private static void assertUnavailable(PersonDirectory directory) {
        assertThatThrownBy(() -> directory.find("o", MOBILE)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ProblemCode.REDIS_UNAVAILABLE);
            assertThat(e.code().status().value()).isEqualTo(503);
            assertThat(e.getMessage()).doesNotContain("13800138000");
        });
    }
}
