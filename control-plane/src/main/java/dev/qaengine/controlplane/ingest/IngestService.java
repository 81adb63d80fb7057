package dev.qaengine.controlplane.ingest;

import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.controlplane.ingest.Envelopes.Issue;
import dev.qaengine.model.CanonicalEvent;
import dev.qaengine.model.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Validates an ingestion body and produces its messages, one Kafka record each, keyed
 * {@code <org>|<customerId>} (per-customer order, the partitioning every later stage keys by). A batch is
 * all or nothing at validation: one bad message rejects the call and nothing is produced. It answers
 * success only after Kafka acknowledged every record (acks=all) — sent all at once, then awaited.
 */
@Service
public class IngestService {
    private static final Logger log = LoggerFactory.getLogger(IngestService.class);
    private static final int MAX_ISSUES_SHOWN = 10;

    private final KafkaTemplate<byte[], byte[]> kafka;
    private final JsonMapper json;
    private final ObjectReader reader;
    private final QaProperties.Ingest settings;
    private final Counter events;
    private final Counter identities;
    private final Counter rejected;

    public IngestService(KafkaTemplate<byte[], byte[]> kafka, JsonMapper json, QaProperties properties, MeterRegistry meters) {
        this.kafka = kafka;
        this.json = json;
        // Duplicate keys would otherwise be resolved silently (last wins); the normalize job refuses them too.
        // Numbers are forwarded as written ("12.50" stays 12.50): BigDecimal, trailing zeros kept.
        this.reader = json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);
        this.settings = properties.ingest();
        this.events = Counter.builder("qa.ingest.messages").tag("kind", "event").register(meters);
        this.identities = Counter.builder("qa.ingest.messages").tag("kind", "identity").register(meters);
        this.rejected = Counter.builder("qa.ingest.rejected.calls").register(meters);
    }

    /** An answer and its HTTP status. */
    public record Result(HttpStatus status, IngestResponse body) {
    }

    public Result events(String orgId, byte[] body) {
        return ingest(orgId, body, "event", (e, n) -> e.event(n), Topics.EVENTS_RAW,
                m -> CanonicalEvent.partitionKey(m.orgId(), m.customerId()), events);
    }

    public Result identities(String orgId, byte[] body) {
        return ingest(orgId, body, "identity", (e, n) -> e.identity(n), Topics.IDENTITIES_RAW,
                m -> CanonicalEvent.partitionKey(m.orgId(), m.customerId()), identities);
    }

    private <M> Result ingest(String orgId, byte[] body, String kind, BiFunction<Envelopes, JsonNode, M> check, String topic,
                              Function<M, String> key, Counter counter) {
        String traceId = IngestResponse.newTraceId();
        JsonNode root;
        try {
            root = reader.readTree(body);
        } catch (JacksonException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            return reject(HttpStatus.BAD_REQUEST, IngestErrors.MALFORMED_JSON, "the body is not valid JSON" + where + ": "
                    + firstLine(e.getOriginalMessage()), traceId);
        }
        if (root == null || root.isMissingNode()) {
            return reject(HttpStatus.BAD_REQUEST, IngestErrors.MALFORMED_JSON, "the body is empty; send a " + kind
                    + " message object or an array of them", traceId);
        }
        List<JsonNode> nodes = new ArrayList<>();
        boolean array = root.isArray();
        if (array) {
            root.forEach(nodes::add);
            if (nodes.isEmpty()) {
                return reject(HttpStatus.BAD_REQUEST, IngestErrors.MISSING_FIELD, "the array holds no " + kind + " message", traceId);
            }
            if (nodes.size() > settings.maxMessages()) {
                return reject(HttpStatus.BAD_REQUEST, IngestErrors.TOO_LARGE, "the array holds " + nodes.size()
                        + " messages, more than the limit of " + settings.maxMessages() + " per call", traceId);
            }
        } else if (root.isObject()) {
            nodes.add(root);
        } else {
            return reject(HttpStatus.BAD_REQUEST, IngestErrors.MALFORMED_JSON, "the body must be a " + kind
                    + " message object or an array of them, found " + Envelopes.describe(root), traceId);
        }

        List<Issue> issues = new ArrayList<>();
        List<M> messages = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            messages.add(check.apply(new Envelopes(orgId, array ? i : -1, issues), nodes.get(i)));
        }
        if (!issues.isEmpty()) {
            Issue first = issues.get(0);
            String desc = issues.stream().limit(MAX_ISSUES_SHOWN).map(Issue::describe).collect(Collectors.joining("; "))
                    + (issues.size() > MAX_ISSUES_SHOWN ? "; and " + (issues.size() - MAX_ISSUES_SHOWN) + " more" : "");
            HttpStatus status = IngestErrors.ORG_MISMATCH.equals(first.code()) ? HttpStatus.FORBIDDEN : HttpStatus.BAD_REQUEST;
            return reject(status, first.code(), desc, traceId);
        }

        byte[] trace = traceId.getBytes(StandardCharsets.UTF_8);
        List<CompletableFuture<?>> acks = new ArrayList<>(messages.size());
        try {
            for (M m : messages) {
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, key.apply(m).getBytes(StandardCharsets.UTF_8),
                        json.writeValueAsBytes(m));
                r.headers().add(IngestTopics.TRACE_HEADER, trace);
                acks.add(kafka.send(r));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable(traceId, e);
        } catch (Exception e) {
            return unavailable(traceId, e);
        }
        counter.increment(messages.size());
        return new Result(HttpStatus.OK, IngestResponse.ok(traceId));
    }

    private Result unavailable(String traceId, Exception e) {
        log.warn("ingest call {}: Kafka did not acknowledge ({})", traceId, e.toString());
        rejected.increment();
        return new Result(HttpStatus.SERVICE_UNAVAILABLE, IngestResponse.error(IngestErrors.UNAVAILABLE,
                "Kafka did not acknowledge the messages in time; retry the call (messages already written are de-duplicated)", traceId));
    }

    private Result reject(HttpStatus status, String code, String desc, String traceId) {
        rejected.increment();
        return new Result(status, IngestResponse.error(code, desc, traceId));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
