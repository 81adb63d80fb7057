package dev.qaengine.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qaengine.common.ControlRecords;
import dev.qaengine.common.FlinkSettings;
import dev.qaengine.common.Json;
import dev.qaengine.common.Settings;
import dev.qaengine.model.AppType;
import dev.qaengine.model.CanonicalEvent;
import dev.qaengine.model.ControlKind;
import dev.qaengine.model.ControlRecord;
import dev.qaengine.model.IdType;
import dev.qaengine.model.Identifier;
import dev.qaengine.model.IdentityAudit;
import dev.qaengine.model.IdentityChange;
import dev.qaengine.model.IdentityLink;
import dev.qaengine.model.IdentityMessageV1;
import dev.qaengine.model.IdentityRefusal;
import dev.qaengine.model.IdentitySettings;
import dev.qaengine.model.PersonRecord;
import dev.qaengine.model.ResolvedEvent;
import dev.qaengine.model.Schemas;
import dev.qaengine.model.Topics;
import dev.qaengine.testkit.EmbeddedKafka;
import dev.qaengine.testkit.FlinkTestCluster;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identity job on a real broker, a MiniCluster at parallelism 2 and the real Redis: anonymous devices
 * that log in, merges, every refusal reason, the directory, resolved events — and a stop with a savepoint
 * in the middle of the merges, after which every merge happens exactly once and every person is right.
 */
class IdentityJobIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestCluster.extension();
    static final Duration WAIT = Duration.ofSeconds(90);
    static final Map<String, String> COMMITTED = Map.of("isolation.level", "read_committed");
    static final String REDIS = System.getProperty("qa.redis.url", "redis://127.0.0.1:6379");

    static EmbeddedKafka kafka;
    static JedisPooled redis;
    final String org = "org-it-" + UUID.randomUUID().toString().substring(0, 8);
    JobClient job;

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start();
        kafka.createTopic(Topics.CONTROL, 1, Map.of("cleanup.policy", "compact"));
        for (String t : List.of(Topics.EVENTS_NORMALIZED, Topics.IDENTITIES_RAW, Topics.IDENTITY_FEEDBACK, Topics.EVENTS_RESOLVED,
                Topics.IDENTITY_CHANGES, Topics.IDENTITY_AUDIT)) {
            kafka.createTopic(t, 2);
        }
        redis = new JedisPooled(java.net.URI.create(REDIS));
    }

    @AfterAll
    static void stop() throws Exception {
        redis.close();
        kafka.close();
    }

    @AfterEach
    void cancel() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
        for (String k : redis.keys("qa:*:" + org + ":*")) {
            redis.del(k);
        }
    }

    @Test
    void stitchesPersonsAcrossAStopWithSavepointMidStreamAndRefusesWithReasons() throws Exception {
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            p.send(ControlRecords.record(new ControlRecord(ControlRecord.VERSION, ControlKind.IDENTITY_SETTINGS, org, 1,
                    new IdentitySettings(org, List.of(IdType.ONEID, IdType.MOBILE), 5)))).get();
        }
        int customers = 30;
        // Before anyone logs in: every customer's phone reported events anonymously (by IDFA).
        List<byte[]> anonymousEvents = new ArrayList<>();
        for (int c = 0; c < customers; c++) {
            anonymousEvents.add(event(eventId(1000 + c), idfa(c), "IDFA"));
        }
        send(Topics.EVENTS_NORMALIZED, anonymousEvents);
        List<byte[]> messages = new ArrayList<>();
        for (int c = 0; c < customers; c++) {
            messages.add(identity("cust-" + c, List.of(IdentityLink.of(IdType.IDFA, idfa(c).toLowerCase()),
                    new IdentityLink("+86 139-" + String.format("%04d-%04d", c, c), "mobile"),
                    new IdentityLink(" Cust" + c + "@Example.com", "EMAIL"))));
        }
        job = start(Map.of());
        // The job must have seen the devices before the logins for the devices to be the older persons: the
        // two topics are read by separate sources, so registrations already waiting in their topic at the
        // start could be read first, and a device first named by a link is first seen at the link's time —
        // the customer's, its mobile's and e-mail's too, and on equal times the smallest person id survives.
        awaitResolved(customers);
        send(Topics.IDENTITIES_RAW, messages.subList(0, customers / 2));

        // Stop in the middle of the merges, with protocol steps in flight, and carry on from the savepoint.
        kafka.readUntil(Topics.IDENTITY_CHANGES, l -> l.stream().filter(this::mine).count() >= 10, WAIT, COMMITTED);
        String savepoint = job.stopWithSavepoint(false, FlinkTestCluster.shortTempDir("sp").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        job = null;
        send(Topics.IDENTITIES_RAW, messages.subList(customers / 2, customers));
        job = start(Map.of("QA_RESTORE_FROM", savepoint));

        // Each customer: 3 identifiers joined → 3 merges, each exactly once across the restart.
        List<IdentityChange> changes = read(Topics.IDENTITY_CHANGES, 3 * customers, IdentityChange.class);
        assertThat(changes).hasSize(3 * customers);
        assertThat(changes.stream().map(IdentityChange::merged).collect(Collectors.toSet())).hasSize(3 * customers);

        // The directory follows the merges one protocol step later (each member is re-pointed): wait for it.
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int c = 0; c < customers; c++) {
            Set<Identifier> expected = Set.of(new Identifier(IdType.ONEID, "cust-" + c), new Identifier(IdType.IDFA, idfa(c)),
                    new Identifier(IdType.MOBILE, String.format("139%04d%04d", c, c)), new Identifier(IdType.EMAIL, "cust" + c + "@example.com"));
            // The device was seen first (its events came before the login): the anonymous person survives.
            String person = IdentityCore.personId(org, new Identifier(IdType.IDFA, idfa(c)).key());
            awaitDirectory(c, person, expected, changes, deadline);
            PersonRecord record = Json.MAPPER.readValue(redis.get(PersonRecord.personKey(org, person)), PersonRecord.class);
            assertThat(record.identifiers()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(record.version()).isBetween(2L, 4L); // one per merge it survived, 1-3 depending on merge order
            assertThat(Schemas.violations("person-record-v1.schema.json", Json.MAPPER.valueToTree(record))).isEmpty();
            for (Identifier id : expected) {
                if (!id.type().equals(IdType.IDFA)) {
                    assertThat(redis.exists(PersonRecord.personKey(org, IdentityCore.personId(org, id.key())))).as("merged-away %s", id).isFalse();
                }
            }
        }

        // Refusals: a second customer on c0's phone, a second mobile for c1, an unknown type, an invalid value, garbage.
        send(Topics.IDENTITIES_RAW, List.of(
                identity("intruder", List.of(IdentityLink.of(IdType.IDFA, idfa(0)))),
                identity("cust-1", List.of(new IdentityLink("13700000000", "mobile"))),
                identity("cust-2", List.of(new IdentityLink("x", "fax"), new IdentityLink("12345", "mobile"))),
                "{not json".getBytes(StandardCharsets.UTF_8)));
        List<IdentityAudit> audits = read(Topics.IDENTITY_AUDIT, 5, IdentityAudit.class);
        assertThat(audits).extracting(IdentityAudit::reason).containsExactlyInAnyOrder(IdentityRefusal.UNIQUE_TYPE_CONFLICT,
                IdentityRefusal.UNIQUE_TYPE_CONFLICT, IdentityRefusal.UNKNOWN_ID_TYPE, IdentityRefusal.INVALID_IDENTIFIER,
                IdentityRefusal.MALFORMED_MESSAGE);
        assertThat(audits).filteredOn(a -> a.reason() == IdentityRefusal.UNIQUE_TYPE_CONFLICT)
                .extracting(IdentityAudit::detail).anyMatch(d -> d.startsWith("ONEID is unique")).anyMatch(d -> d.startsWith("MOBILE is unique"));
        for (IdentityAudit a : audits) {
            assertThat(Schemas.violations("identity-audit-v1.schema.json", Json.MAPPER.valueToTree(a))).isEmpty();
        }
        assertThat(redis.get(PersonRecord.identifierKey(org, new Identifier(IdType.ONEID, "intruder"))))
                .isNotEqualTo(redis.get(PersonRecord.identifierKey(org, new Identifier(IdType.ONEID, "cust-0"))));

        // Events after login resolve to the survivor with every identifier the channels need.
        send(Topics.EVENTS_NORMALIZED, List.of(event(eventId(5000), "cust-0", null)));
        ResolvedEvent post = readResolved(r -> r.event().eventId().equals(eventId(5000)));
        assertThat(post.personId()).isEqualTo(redis.get(PersonRecord.identifierKey(org, new Identifier(IdType.ONEID, "cust-0"))));
        assertThat(post.identifiers()).containsEntry(IdType.MOBILE, List.of("13900000000")).containsEntry(IdType.EMAIL, List.of("cust0@example.com"))
                .containsEntry(IdType.IDFA, List.of(idfa(0))).containsEntry(IdType.ONEID, List.of("cust-0"));
        ResolvedEvent pre = readResolved(r -> r.event().eventId().equals(eventId(1003)));
        assertThat(pre.personId()).isEqualTo(IdentityCore.personId(org, new Identifier(IdType.IDFA, idfa(3)).key()));
        assertThat(pre.identifiers()).containsOnlyKeys(IdType.IDFA);
    }

    @Test
    void aJobCancelledMidStreamResumesFromItsLastCheckpointWithEveryMergeExactlyOnce() throws Exception {
        int customers = 20;
        List<byte[]> anonymousEvents = new ArrayList<>();
        List<byte[]> messages = new ArrayList<>();
        for (int c = 0; c < customers; c++) {
            anonymousEvents.add(event(eventId(2000 + c), idfa(c), "IDFA"));
            messages.add(identity("cust-" + c, List.of(IdentityLink.of(IdType.IDFA, idfa(c)),
                    new IdentityLink(String.format("139%04d%04d", c, c), "mobile"))));
        }
        send(Topics.EVENTS_NORMALIZED, anonymousEvents);
        java.nio.file.Path checkpoints = FlinkTestCluster.shortTempDir("chk");
        Map<String, String> conf = Map.of("QA_CHECKPOINT_DIR", checkpoints.toUri().toString());
        job = start(conf);
        awaitResolved(customers); // the devices first (see the test above)
        send(Topics.IDENTITIES_RAW, messages.subList(0, customers / 2));
        // Like a crash: no savepoint, no flush; what the last completed checkpoint holds is all that counts.
        kafka.readUntil(Topics.IDENTITY_CHANGES, l -> l.stream().filter(this::mine).count() >= 6, WAIT, COMMITTED);
        String jobId = job.getJobID().toString();
        job.cancel().get();
        job = null;
        java.nio.file.Path latest;
        try (var chks = java.nio.file.Files.list(checkpoints.resolve(jobId))) {
            latest = chks.filter(p -> p.getFileName().toString().startsWith("chk-") && java.nio.file.Files.exists(p.resolve("_metadata")))
                    .max(java.util.Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(4)))).orElseThrow();
        }
        send(Topics.IDENTITIES_RAW, messages.subList(customers / 2, customers));
        Map<String, String> restored = new HashMap<>(conf);
        restored.put("QA_RESTORE_FROM", latest.toUri().toString());
        job = start(restored);

        // Two merges per customer, each committed exactly once: decisions after the checkpoint were in
        // transactions that were never committed, and were made again after the restore.
        List<IdentityChange> changes = read(Topics.IDENTITY_CHANGES, 2 * customers, IdentityChange.class);
        assertThat(changes).hasSize(2 * customers);
        assertThat(changes.stream().map(IdentityChange::merged).collect(Collectors.toSet())).hasSize(2 * customers);
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int c = 0; c < customers; c++) {
            Set<Identifier> expected = Set.of(new Identifier(IdType.ONEID, "cust-" + c), new Identifier(IdType.IDFA, idfa(c)),
                    new Identifier(IdType.MOBILE, String.format("139%04d%04d", c, c)));
            String person = IdentityCore.personId(org, new Identifier(IdType.IDFA, idfa(c)).key());
            awaitDirectory(c, person, expected, changes, deadline);
        }
    }

    /** Waits until the job has resolved this test's first {@code n} events (qa.events.resolved, at-least-once). */
    private void awaitResolved(int n) {
        kafka.readUntil(Topics.EVENTS_RESOLVED, l -> l.stream().filter(this::mine).count() >= n, WAIT);
    }

    /**
     * Waits until Redis shows {@code person} with exactly {@code ids}, each pointing to it; past the
     * deadline, fails with what Redis holds for the customer and the merges of its identifiers.
     */
    private void awaitDirectory(int customer, String person, Set<Identifier> ids, List<IdentityChange> changes, long deadline) throws Exception {
        while (!directoryHolds(person, ids)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("directory of customer " + customer + " did not settle within " + WAIT + "\n"
                        + describeDirectory(person, ids, changes));
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L); // poll pacing, not synchronization
        }
    }

    /**
     * What Redis holds for one customer, and the merges of its identifiers read from qa.identity.changes —
     * identifier values masked to their last 4 characters (no phone number or e-mail address in a log).
     */
    private String describeDirectory(String person, Set<Identifier> ids, List<IdentityChange> changes) {
        StringBuilder b = new StringBuilder();
        b.append("expected: every identifier -> ").append(person).append(", whose record lists exactly ").append(masked(ids)).append('\n');
        Set<String> persons = new java.util.LinkedHashSet<>();
        persons.add(person);
        for (Identifier id : ids.stream().sorted().toList()) {
            String got = redis.get(PersonRecord.identifierKey(org, id));
            b.append("  pointer ").append(masked(id)).append(" (founds ").append(IdentityCore.personId(org, id.key())).append(") -> ")
                    .append(got).append(person.equals(got) ? "" : "   <-- expected " + person).append('\n');
            if (got != null) {
                persons.add(got);
            }
        }
        for (String p : persons) {
            String json = redis.get(PersonRecord.personKey(org, p));
            b.append("  record ").append(p).append(": ");
            if (json == null) {
                b.append("absent");
            } else {
                try {
                    PersonRecord r = Json.MAPPER.readValue(json, PersonRecord.class);
                    b.append("version ").append(r.version()).append(", firstSeen ").append(r.firstSeen())
                            .append(", identifiers ").append(masked(r.identifiers()));
                } catch (Exception e) {
                    b.append("unreadable (").append(e.getMessage()).append(')');
                }
            }
            b.append('\n');
        }
        List<IdentityChange> mine = changes.stream()
                .filter(ch -> ch.identifiers().stream().anyMatch(ids::contains) || ch.moved().stream().anyMatch(ids::contains))
                .sorted(java.util.Comparator.comparingLong(IdentityChange::seq)).toList();
        b.append("  merges of these identifiers on ").append(Topics.IDENTITY_CHANGES).append(" (").append(mine.size())
                .append(" of ").append(changes.size()).append(" read):\n");
        for (IdentityChange ch : mine) {
            b.append("    seq ").append(ch.seq()).append(", time ").append(ch.time()).append(": ").append(ch.merged())
                    .append(" into ").append(ch.survivor()).append(", moved ").append(masked(ch.moved()))
                    .append(", survivor now ").append(masked(ch.identifiers())).append('\n');
        }
        return b.toString();
    }

    private static String masked(java.util.Collection<Identifier> ids) {
        return ids.stream().sorted().map(IdentityJobIT::masked).toList().toString();
    }

    /** TYPE:value with all but the value's last 4 characters masked (at most half of a shorter value shows). */
    static String masked(Identifier id) {
        String v = id.value();
        int keep = Math.min(4, v.length() / 2);
        return id.type().name() + ':' + "*".repeat(v.length() - keep) + v.substring(v.length() - keep);
    }

    /** Whether Redis shows {@code person} with exactly {@code ids}, each pointing to it. */
    private boolean directoryHolds(String person, Set<Identifier> ids) throws Exception {
        for (Identifier id : ids) {
            if (!person.equals(redis.get(PersonRecord.identifierKey(org, id)))) {
                return false;
            }
        }
        String json = redis.get(PersonRecord.personKey(org, person));
        return json != null && Set.copyOf(Json.MAPPER.readValue(json, PersonRecord.class).identifiers()).equals(ids);
    }

    /** This test's records; a refusal of a record too broken to name its org is keyed by the empty string. */
    private boolean mine(ConsumerRecord<byte[], byte[]> r) {
        return r.key().length == 0 || new String(r.key(), StandardCharsets.UTF_8).startsWith(org + '|') || new String(r.key(), StandardCharsets.UTF_8).equals(org);
    }

    private <T> List<T> read(String topic, int n, Class<T> type) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> got = kafka.readUntil(topic, l -> l.stream().filter(this::mine).count() >= n, WAIT, COMMITTED);
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : got) {
            if (mine(r)) {
                out.add(Json.MAPPER.readValue(r.value(), type));
            }
        }
        return out;
    }

    private ResolvedEvent readResolved(java.util.function.Predicate<ResolvedEvent> which) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> got = kafka.readUntil(Topics.EVENTS_RESOLVED, l -> l.stream().filter(this::mine)
                .map(r -> parse(r.value())).anyMatch(which), WAIT);
        for (ConsumerRecord<byte[], byte[]> r : got) {
            if (mine(r) && which.test(parse(r.value()))) {
                JsonNode tree = Json.MAPPER.readTree(r.value());
                assertThat(Schemas.violations("resolved-event-v1.schema.json", tree)).isEmpty();
                return parse(r.value());
            }
        }
        throw new AssertionError("unreachable");
    }

    private static ResolvedEvent parse(byte[] v) {
        try {
            return Json.MAPPER.readValue(v, ResolvedEvent.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String eventId(int n) {
        return String.format("%032x", n);
    }

    private static String idfa(int c) {
        return String.format("6D92078A-8246-4BA4-AE5B-%012d", c + 1);
    }

    private byte[] event(String eventId, String customerId, String customerIdType) throws Exception {
        CanonicalEvent e = new CanonicalEvent(1, eventId, org, customerId, "shop-app", AppType.APP, "view_item", Map.of("sku", "A"),
                System.currentTimeMillis(), System.currentTimeMillis());
        ObjectNode json = Json.MAPPER.valueToTree(e);
        if (customerIdType != null) {
            json.put("customerIdType", customerIdType);
        }
        return Json.MAPPER.writeValueAsBytes(json);
    }

    private byte[] identity(String customer, List<IdentityLink> links) throws Exception {
        return Json.MAPPER.writeValueAsBytes(IdentityMessageV1.of(org, customer, links));
    }

    private void send(String topic, List<byte[]> values) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            for (byte[] v : values) {
                p.send(new ProducerRecord<>(topic, org.getBytes(StandardCharsets.UTF_8), v)).get();
            }
        }
    }

    private JobClient start(Map<String, String> extra) throws Exception {
        Map<String, String> s = new HashMap<>(FlinkTestCluster.jobSettings(kafka.bootstrap()));
        s.put("QA_CHECKPOINT_INTERVAL", "300ms");
        s.put("QA_IDENTITY_GROUP_ID", "identity-" + org);
        s.put("QA_REDIS_URL", REDIS);
        s.putAll(extra);
        Settings settings = Settings.of(s);
        var conf = FlinkSettings.jobConfiguration(settings);
        conf.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        new IdentityJob(settings).addTo(env);
        return env.executeAsync("identity-it-" + org);
    }
}
