package dev.qaengine.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.qaengine.common.ControlRecords;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code run.sh --demo}: publishes an event catalog for the org {@value #ORG} to {@code qa.control}, feeds
 * event messages v1 to {@code qa.events.raw} (a few percent deliberately bad), and prints once a second
 * what came out on {@code qa.events.normalized} and {@code qa.events.dlq}.
 */
public final class DemoTraffic implements AutoCloseable {
    public static final String ORG = "demo-org";
    public static final String CHANNEL = "shop-app";
    private static final List<String> CUSTOMERS = List.of("cust-1", "cust-2", "cust-3", "cust-4", "cust-5");
    /** One message in this many is deliberately bad. */
    private static final int BAD_EVERY = 20;

    private final String bootstrap;
    private final Properties clientProperties;
    private final int perSecond;
    private final PrintStream out;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "demo-traffic");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sentBad = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile String lastTally = "";
    private volatile long startedAt;
    private Thread tally;
    private volatile boolean closed;

    /**
     * @param clientProperties   for the tally's consumer ({@code KafkaSettings.clientProperties()})
     * @param producerProperties for the traffic's producer ({@code KafkaSettings.producerProperties()})
     */
    public DemoTraffic(String bootstrap, Properties clientProperties, Properties producerProperties, int perSecond, PrintStream out) {
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

    /** The demo org's catalog: one APP channel and three shop events with typed attributes. */
    public static EventCatalog catalog() {
        AttributeDefinition sku = new AttributeDefinition("sku", "SKU", AttributeType.TEXT);
        AttributeDefinition price = new AttributeDefinition("price", "Price", AttributeType.NUMBER);
        AttributeDefinition quantity = new AttributeDefinition("quantity", "Quantity", AttributeType.NUMBER);
        AttributeDefinition appVersion = new AttributeDefinition("appVersion", "App version", AttributeType.TEXT);
        return new EventCatalog(ORG,
                List.of(new ChannelDefinition(CHANNEL, "Shop app", AppType.APP, List.of(appVersion))),
                List.of(new EventDefinition("view_item", "View item", CHANNEL, List.of(sku, price)),
                        new EventDefinition("add_to_cart", "Add to cart", CHANNEL, List.of(sku, price, quantity)),
                        new EventDefinition("purchase", "Purchase", CHANNEL, List.of(sku, price, quantity))));
    }

    /** Publishes the catalog (version = now, so it supersedes any earlier demo's), then starts traffic and tally. */
    public void start() throws Exception {
        startedAt = System.currentTimeMillis();
        producer.send(ControlRecords.catalog(catalog(), System.currentTimeMillis())).get(30, TimeUnit.SECONDS);
        out.printf("[demo] published the event catalog of %s to %s: channel %s (APP), events view_item, add_to_cart, purchase%n",
                ORG, Topics.CONTROL, CHANNEL);
        startTally();
        long periodMicros = Math.max(1, 1_000_000L / perSecond);
        scheduler.scheduleAtFixedRate(this::sendOne, 0, periodMicros, TimeUnit.MICROSECONDS);
        out.printf("[demo] sending ~%d events/s to %s for %d customers; 1 in %d is deliberately bad (DLQ)%n",
                perSecond, Topics.EVENTS_RAW, CUSTOMERS.size(), BAD_EVERY);
    }

    private void sendOne() {
        long n = sent.incrementAndGet();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String customer = CUSTOMERS.get(r.nextInt(CUSTOMERS.size()));
        byte[] value;
        if (n % BAD_EVERY == 0) {
            sentBad.incrementAndGet();
            value = badMessage(n / BAD_EVERY, customer);
        } else {
            value = json(goodMessage(customer, r));
        }
        byte[] key = CanonicalEvent.partitionKey(ORG, customer).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(Topics.EVENTS_RAW, key, value), (md, e) -> {
            if (e != null) {
                sendErrors.incrementAndGet();
            }
        });
    }

    static EventMessageV1 goodMessage(String customer, ThreadLocalRandom r) {
        int roll = r.nextInt(100);
        String code = roll < 70 ? "view_item" : roll < 90 ? "add_to_cart" : "purchase";
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("sku", "SKU-" + (100 + r.nextInt(20)));
        attrs.put("price", String.format("%d.%02d", 5 + r.nextInt(95), r.nextInt(100)));
        if (!code.equals("view_item")) {
            attrs.put("quantity", String.valueOf(1 + r.nextInt(3)));
        }
        attrs.put("appVersion", "3.1.0");
        return EventMessageV1.of(ORG, customer, CHANNEL, code, System.currentTimeMillis(), attrs);
    }

    /** Rotates through three kinds of bad input: truncated JSON, an unknown event code, a non-numeric NUMBER. */
    static byte[] badMessage(long i, String customer) {
        Map<String, String> attrs = new LinkedHashMap<>(Map.of("sku", "SKU-100", "price", "9.99"));
        return switch ((int) (i % 3)) {
            case 0 -> {
                byte[] whole = json(EventMessageV1.of(ORG, customer, CHANNEL, "view_item", System.currentTimeMillis(), attrs));
                yield java.util.Arrays.copyOf(whole, whole.length / 2);
            }
            case 1 -> json(EventMessageV1.of(ORG, customer, CHANNEL, "teleport", System.currentTimeMillis(), attrs));
            default -> {
                attrs.put("price", "cheap");
                yield json(EventMessageV1.of(ORG, customer, CHANNEL, "view_item", System.currentTimeMillis(), attrs));
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
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of(Topics.EVENTS_NORMALIZED, Topics.EVENTS_DLQ)) {
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
                    } else {
                        dlq++;
                        Header h = rec.headers().lastHeader(DlqHeaders.REASON);
                        lastReason = h == null ? "(no " + DlqHeaders.REASON + " header)" : new String(h.value(), StandardCharsets.UTF_8);
                        reasons.merge(lastReason, 1L, Long::sum);
                    }
                }
                lastTally = String.format("sent %d (%d bad%s) | normalized %d | dlq %d %s | last dlq reason: %s%s",
                        sent.get(), sentBad.get(), sendErrors.get() > 0 ? ", " + sendErrors.get() + " send errors" : "",
                        normalized, dlq, reasons, lastReason,
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
