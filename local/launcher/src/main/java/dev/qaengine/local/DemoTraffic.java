package dev.qaengine.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.qaengine.common.Json;
import dev.qaengine.model.AppType;
import dev.qaengine.model.AttributeDefinition;
import dev.qaengine.model.AttributeType;
import dev.qaengine.model.CanonicalEvent;
import dev.qaengine.model.ChannelDefinition;
import dev.qaengine.model.DlqHeaders;
import dev.qaengine.model.EventCatalog;
import dev.qaengine.model.EventDefinition;
import dev.qaengine.model.EventMessageV1;
import dev.qaengine.model.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code run.sh --demo}: defines an event catalog through the control plane's API (as a user would), then
 * feeds event messages v1 both through {@code POST /api/v1/events} (batches, every 250 ms) and straight to
 * {@code qa.events.raw} (a few percent deliberately bad), registers each customer's mobile and e-mail through
 * {@code POST /api/v1/identities}, and prints once a second what came out on {@code qa.events.normalized},
 * {@code qa.events.resolved}, {@code qa.identity.changes} and {@code qa.events.dlq}. The organization is the one of the API key.
 */
public final class DemoTraffic implements AutoCloseable {
    public static final String CHANNEL = "shop-app";
    private static final List<String> CUSTOMERS = List.of("cust-1", "cust-2", "cust-3", "cust-4", "cust-5");
    /** One message in this many is deliberately bad. */
    private static final int BAD_EVERY = 20;
    /** How often the messages queued for the HTTP path are posted, as one batch. */
    private static final long HTTP_FLUSH_MILLIS = 250;

    private final String bootstrap;
    private final Properties clientProperties;
    private final int perSecond;
    private final PrintStream out;
    private final ControlPlaneClient api;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "demo-traffic");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<byte[]> httpQueue = new ConcurrentLinkedQueue<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sentBad = new AtomicLong();
    private final AtomicLong sentHttp = new AtomicLong();
    private final AtomicLong httpCalls = new AtomicLong();
    private final AtomicLong httpErrors = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private volatile String lastHttpError = "";
    private volatile String org;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile String lastTally = "";
    private volatile long startedAt;
    private Thread tally;
    private volatile boolean closed;

    /**
     * @param api                the control plane, with a key that may define events and ingest (DEVELOPER or ADMIN)
     * @param clientProperties   for the tally's consumer ({@code KafkaSettings.clientProperties()})
     * @param producerProperties for the traffic's producer ({@code KafkaSettings.producerProperties()})
     */
    public DemoTraffic(ControlPlaneClient api, String bootstrap, Properties clientProperties, Properties producerProperties,
                       int perSecond, PrintStream out) {
        this.api = api;
        this.bootstrap = bootstrap;
        this.clientProperties = clientProperties;
        this.perSecond = perSecond;
        this.out = out;
        Properties p = new Properties();
        p.putAll(producerProperties);
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The demo catalog: one APP channel and three shop events with typed attributes. */
    public static EventCatalog catalog(String org) {
        AttributeDefinition sku = new AttributeDefinition("sku", "SKU", AttributeType.TEXT);
        AttributeDefinition price = new AttributeDefinition("price", "Price", AttributeType.NUMBER);
        AttributeDefinition quantity = new AttributeDefinition("quantity", "Quantity", AttributeType.NUMBER);
        AttributeDefinition appVersion = new AttributeDefinition("appVersion", "App version", AttributeType.TEXT);
        return new EventCatalog(org,
                List.of(new ChannelDefinition(CHANNEL, "Shop app", AppType.APP, List.of(appVersion))),
                List.of(new EventDefinition("view_item", "View item", CHANNEL, List.of(sku, price)),
                        new EventDefinition("add_to_cart", "Add to cart", CHANNEL, List.of(sku, price, quantity)),
                        new EventDefinition("purchase", "Purchase", CHANNEL, List.of(sku, price, quantity))));
    }

    /**
     * Defines the catalog through the API (creating what is missing, so a second demo changes nothing), then
     * starts traffic and tally. The control plane publishes the catalog to qa.control through its outbox; the
     * normalize job holds a message it cannot judge yet for a grace period, so the first events are not lost.
     */
    public void start() throws Exception {
        startedAt = System.currentTimeMillis();
        org = api.organizationId();
        List<String> changes = api.defineCatalog(catalog(org));
        out.printf("[demo] event catalog of organization %s defined through the control plane API (%s): %s%n", org, api.baseUrl(),
                changes.isEmpty() ? "already there, nothing to change" : String.join(", ", changes));
        out.printf("[demo]   channel %s (APP), events view_item, add_to_cart, purchase — see GET %s/api/v1/event-catalog%n",
                CHANNEL, api.baseUrl());
        startTally();
        registerIdentities();
        long periodMicros = Math.max(1, 1_000_000L / perSecond);
        scheduler.scheduleAtFixedRate(this::sendOne, 0, periodMicros, TimeUnit.MICROSECONDS);
        scheduler.scheduleWithFixedDelay(this::flushHttp, HTTP_FLUSH_MILLIS, HTTP_FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        out.printf("[demo] sending ~%d events/s for %d customers, half through POST /api/v1/events (batches every %d ms), "
                + "half straight to %s; 1 in %d is deliberately bad (DLQ)%n",
                perSecond, CUSTOMERS.size(), HTTP_FLUSH_MILLIS, Topics.EVENTS_RAW, BAD_EVERY);
    }

    /**
     * Each demo customer registers a mobile number and an e-mail address through {@code POST /api/v1/identities}
     * (identity message v1), so the identity job has persons to stitch and the person look-up has answers.
     */
    private void registerIdentities() {
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS.size(); i++) {
            messages.add(String.format("{\"orgnizationId\":\"%s\",\"customerId\":\"%s\",\"customerIdList\":["
                    + "{\"customerId\":\"+86 139-0000-000%d\",\"idMapping\":\"mobile\"},"
                    + "{\"customerId\":\"%s@demo.example\",\"idMapping\":\"email\"}],\"v\":1}", org, CUSTOMERS.get(i), i, CUSTOMERS.get(i)));
        }
        try {
            ControlPlaneClient.Response r = api.post("/api/v1/identities", ("[" + String.join(",", messages) + "]").getBytes(StandardCharsets.UTF_8));
            out.printf("[demo] %d customers registered a mobile and an e-mail through POST /api/v1/identities (%d); see their persons at "
                    + "GET %s/api/v1/persons/oneid/%s%n", CUSTOMERS.size(), r.status(), api.baseUrl(), CUSTOMERS.get(0));
        } catch (RuntimeException e) {
            out.println("[demo] registering identities failed: " + e);
        }
    }

    private void sendOne() {
        long n = sent.incrementAndGet();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String customer = CUSTOMERS.get(r.nextInt(CUSTOMERS.size()));
        byte[] value;
        boolean bad = n % BAD_EVERY == 0;
        if (bad) {
            sentBad.incrementAndGet();
            value = badMessage(org, n / BAD_EVERY, customer);
        } else {
            value = json(goodMessage(org, customer, r));
        }
        // The API checks the envelope and would refuse the whole batch for a truncated message: those go to Kafka.
        if (n % 2 == 0 && (!bad || wellFormed(value))) {
            sentHttp.incrementAndGet();
            httpQueue.add(value);
            return;
        }
        byte[] key = CanonicalEvent.partitionKey(org, customer).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(Topics.EVENTS_RAW, key, value), (md, e) -> {
            if (e != null && !closed) {
                sendErrors.incrementAndGet();
            }
        });
    }

    /** Posts what is queued as one JSON array (at most 100 messages, the API's limit). */
    private void flushHttp() {
        List<byte[]> batch = new ArrayList<>();
        byte[] m;
        while (batch.size() < 100 && (m = httpQueue.poll()) != null) {
            batch.add(m);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            ControlPlaneClient.Response r = api.post("/api/v1/events", jsonArray(batch));
            httpCalls.incrementAndGet();
            if (!r.ok() && !closed) {
                httpErrors.addAndGet(batch.size());
                lastHttpError = r.status() + " " + r.json().path("errorCode").asText() + " " + r.json().path("errorDesc").asText();
            }
        } catch (RuntimeException e) {
            if (!closed) {
                httpErrors.addAndGet(batch.size());
                lastHttpError = e.toString();
            }
        }
    }

    static byte[] jsonArray(Collection<byte[]> messages) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write('[');
        boolean first = true;
        for (byte[] m : messages) {
            if (!first) {
                b.write(',');
            }
            b.writeBytes(m);
            first = false;
        }
        b.write(']');
        return b.toByteArray();
    }

    private static boolean wellFormed(byte[] json) {
        try {
            Json.MAPPER.readTree(json);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static EventMessageV1 goodMessage(String org, String customer, ThreadLocalRandom r) {
        int roll = r.nextInt(100);
        String code = roll < 70 ? "view_item" : roll < 90 ? "add_to_cart" : "purchase";
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("sku", "SKU-" + (100 + r.nextInt(20)));
        attrs.put("price", String.format("%d.%02d", 5 + r.nextInt(95), r.nextInt(100)));
        if (!code.equals("view_item")) {
            attrs.put("quantity", String.valueOf(1 + r.nextInt(3)));
        }
        attrs.put("appVersion", "3.1.0");
        return EventMessageV1.of(org, customer, CHANNEL, code, System.currentTimeMillis(), attrs);
    }

    /** Rotates through three kinds of bad input: truncated JSON, an unknown event code, a non-numeric NUMBER. */
    static byte[] badMessage(String org, long i, String customer) {
        Map<String, String> attrs = new LinkedHashMap<>(Map.of("sku", "SKU-100", "price", "9.99"));
        return switch ((int) (i % 3)) {
            case 0 -> {
                byte[] whole = json(EventMessageV1.of(org, customer, CHANNEL, "view_item", System.currentTimeMillis(), attrs));
                yield java.util.Arrays.copyOf(whole, whole.length / 2);
            }
            case 1 -> json(EventMessageV1.of(org, customer, CHANNEL, "teleport", System.currentTimeMillis(), attrs));
            default -> {
                attrs.put("price", "cheap");
                yield json(EventMessageV1.of(org, customer, CHANNEL, "view_item", System.currentTimeMillis(), attrs));
            }
        };
    }

    private static byte[] json(EventMessageV1 m) {
        try {
            return Json.MAPPER.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the job's two outputs from their current end and prints a one-line tally every second. */
    private void startTally() {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // merges are written in transactions
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of(Topics.EVENTS_NORMALIZED, Topics.EVENTS_DLQ, Topics.EVENTS_RESOLVED, Topics.IDENTITY_CHANGES)) {
            for (PartitionInfo pi : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(topic, pi.partition()));
            }
        }
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position); // resolve the end offsets now, before the first message is sent
        consumer = c;
        tally = new Thread(this::tallyLoop, "demo-tally");
        tally.setDaemon(true);
        tally.start();
    }

    private void tallyLoop() {
        long normalized = 0;
        long dlq = 0;
        long resolved = 0;
        long merges = 0;
        long earlier = 0;
        Map<String, Long> reasons = new TreeMap<>();
        String lastReason = "-";
        long nextPrint = System.currentTimeMillis() + 1000;
        try {
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(Duration.ofMillis(200))) {
                    if (rec.timestamp() < startedAt) {
                        // Output for input older than this demo: a job resumed from a checkpoint re-processes
                        // what came after it (at-least-once), or another producer wrote to qa.events.raw.
                        earlier++;
                    } else if (rec.topic().equals(Topics.EVENTS_NORMALIZED)) {
                        normalized++;
                    } else if (rec.topic().equals(Topics.EVENTS_RESOLVED)) {
                        resolved++;
                    } else if (rec.topic().equals(Topics.IDENTITY_CHANGES)) {
                        merges++;
                    } else {
                        dlq++;
                        Header h = rec.headers().lastHeader(DlqHeaders.REASON);
                        lastReason = h == null ? "(no " + DlqHeaders.REASON + " header)" : new String(h.value(), StandardCharsets.UTF_8);
                        reasons.merge(lastReason, 1L, Long::sum);
                    }
                }
                lastTally = String.format("sent %d (%d by HTTP in %d calls, %d to Kafka; %d bad%s%s) | normalized %d | resolved %d | merges %d | dlq %d %s | last dlq reason: %s%s",
                        sent.get(), sentHttp.get(), httpCalls.get(), sent.get() - sentHttp.get(), sentBad.get(),
                        sendErrors.get() > 0 ? ", " + sendErrors.get() + " Kafka send errors" : "",
                        httpErrors.get() > 0 ? ", " + httpErrors.get() + " refused by HTTP, last: " + lastHttpError : "",
                        normalized, resolved, merges, dlq, reasons, lastReason,
                        earlier > 0 ? " | " + earlier + " more for input older than this demo" : "");
                if (System.currentTimeMillis() >= nextPrint) {
                    nextPrint = System.currentTimeMillis() + 1000;
                    out.println("[demo] " + lastTally);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(5));
        if (consumer != null) {
            consumer.wakeup();
        }
        if (tally != null) {
            tally.join(10_000);
            out.println("  [demo] final: " + lastTally);
        }
    }
}
