package dev.qaengine.bench;

import dev.qaengine.model.AppType;
import dev.qaengine.model.AttributeDefinition;
import dev.qaengine.model.AttributeType;
import dev.qaengine.model.ChannelDefinition;
import dev.qaengine.model.EventCatalog;
import dev.qaengine.model.EventDefinition;
import dev.qaengine.model.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Event messages v1 of one organization as shop apps send them: valid against {@link #catalog()},
 * ~263 bytes each (the size of the reference figures in ARCHITECTURE.md), keyed by customer id.
 *
 * <p>Record {@code i} is a pure function of (seed, baseTime, customers, count, i). Event times run
 * evenly from {@code baseTime} over at most {@link #MAX_SPAN} in index order, so they stay near
 * wall-clock time (the normalize job bounds how old an event may be). Customers are a permutation of
 * the index modulo {@code customers}, so no two records share (customer, eventTime): records in one
 * millisecond have consecutive indexes, fewer than {@code customers} of them.
 */
public final class EventWorkload implements Workload {
    public static final String ORG = "bench-org";
    public static final String CHANNEL = "shop-app";
    /** Event times span at most this much, starting at baseTime. */
    public static final Duration MAX_SPAN = Duration.ofMinutes(25);

    private static final String[] CODES = {"view_item", "add_to_cart", "purchase", "search"};
    private static final String[] CATEGORIES = {"electronics", "home-garden", "fashion-women", "beauty-care",
            "sports-outdoor", "books-media", "toys-games", "grocery-fresh"};
    private static final String[] KEYWORDS = {"wireless earbuds", "running shoes", "air fryer", "face serum",
            "yoga mat", "coffee beans", "desk lamp", "phone case"};
    private static final String[] PAGES = {"home", "search", "category", "recommend", "cart", "promo"};
    private static final String[] VERSIONS = {"5.2.1", "5.3.0", "5.3.2", "6.0.0"};

    private final long seed;
    private final long baseTime;
    private final int customers;
    private final long count;
    private final long spanMs;

    public EventWorkload(long seed, long baseTime, int customers, long count) {
        if (customers < 1 || count < 1) {
            throw new IllegalArgumentException("customers and count must be positive");
        }
        this.seed = seed;
        this.baseTime = baseTime;
        this.customers = customers;
        this.count = count;
        this.spanMs = Math.min(count, MAX_SPAN.toMillis());
        if (count / spanMs + 2 > customers) {
            throw new IllegalArgumentException("too few customers for unique (customer, eventTime): " + customers);
        }
    }

    /** The definitions every record is valid against; publish them before the records. */
    public static EventCatalog catalog() {
        AttributeDefinition sku = new AttributeDefinition("sku", "SKU", AttributeType.TEXT);
        AttributeDefinition category = new AttributeDefinition("category", "Category", AttributeType.TEXT);
        AttributeDefinition price = new AttributeDefinition("price", "Unit price", AttributeType.NUMBER);
        AttributeDefinition quantity = new AttributeDefinition("quantity", "Quantity", AttributeType.NUMBER);
        AttributeDefinition page = new AttributeDefinition("page", "Page", AttributeType.TEXT);
        AttributeDefinition keyword = new AttributeDefinition("keyword", "Search keyword", AttributeType.TEXT);
        AttributeDefinition results = new AttributeDefinition("results", "Result count", AttributeType.NUMBER);
        AttributeDefinition orderId = new AttributeDefinition("orderId", "Order id", AttributeType.TEXT);
        AttributeDefinition appVersion = new AttributeDefinition("appVersion", "App version", AttributeType.TEXT);
        return new EventCatalog(ORG,
                List.of(new ChannelDefinition(CHANNEL, "Shop app", AppType.APP, List.of(appVersion))),
                List.of(new EventDefinition("view_item", "View item", CHANNEL, List.of(sku, category, price, page)),
                        new EventDefinition("add_to_cart", "Add to cart", CHANNEL, List.of(sku, category, price, quantity)),
                        new EventDefinition("purchase", "Purchase", CHANNEL, List.of(orderId, sku, price, quantity)),
                        new EventDefinition("search", "Search", null, List.of(keyword, category, results))));
    }

    @Override
    public String topic() {
        return Topics.EVENTS_RAW;
    }

    @Override
    public long count() {
        return count;
    }

    public long baseTime() {
        return baseTime;
    }

    /** The latest event time of any record. */
    public long lastEventTime() {
        return eventTime(count - 1);
    }

    long eventTime(long i) {
        // floor(i * span / count) without overflow for any count this harness can produce
        return baseTime + (long) ((double) i * spanMs / count);
    }

    String customerId(long i) {
        // a bijection on [0, customers): multiplying by a unit modulo customers, then an offset
        long c = Math.floorMod(i * unitModulo(customers) + seed, (long) customers);
        return "c" + pad(c, 7);
    }

    @Override
    public byte[] key(long index) {
        return customerId(index).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public byte[] value(long i) {
        long h = mix(seed ^ (i * 0x9E3779B97F4A7C15L));
        String code = CODES[weighted(h)];
        String category = CATEGORIES[(int) ((h >>> 8) & 7)];
        String sku = "SKU-" + pad((h >>> 11) % 100_000, 5);
        String price = ((h >>> 28) % 1000 + 1) + "." + pad((h >>> 40) % 100, 2);
        StringBuilder b = new StringBuilder(288);
        b.append("{\"orgnizationId\":\"").append(ORG)
                .append("\",\"customerId\":\"").append(customerId(i))
                .append("\",\"eventSourceCode\":\"").append(CHANNEL)
                .append("\",\"eventCode\":\"").append(code)
                .append("\",\"eventTime\":").append(eventTime(i))
                .append(",\"extendAttributes\":{");
        switch (code) {
            case "view_item" -> attr(b, "sku", sku).attr(b, "category", category).attr(b, "price", price)
                    .attr(b, "page", "/" + PAGES[(int) ((h >>> 50) % PAGES.length)] + "/" + category + "/" + sku);
            case "add_to_cart" -> attr(b, "sku", sku).attr(b, "category", category).attr(b, "price", price)
                    .attr(b, "quantity", Long.toString((h >>> 50) % 5 + 1));
            case "purchase" -> attr(b, "orderId", "ORD-" + pad(Math.abs(i * 31 + seed) % 100_000_000L, 8))
                    .attr(b, "sku", sku).attr(b, "price", price).attr(b, "quantity", Long.toString((h >>> 50) % 5 + 1));
            default -> attr(b, "keyword", KEYWORDS[(int) ((h >>> 50) % KEYWORDS.length)])
                    .attr(b, "category", category).attr(b, "results", Long.toString((h >>> 20) % 500));
        }
        attr(b, "appVersion", VERSIONS[(int) ((h >>> 60) & 3)]);
        b.setLength(b.length() - 1); // the last comma
        b.append("},\"v\":1}");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private EventWorkload attr(StringBuilder b, String name, String value) {
        b.append('"').append(name).append("\":\"").append(value).append("\",");
        return this;
    }

    /** view_item 45%, add_to_cart 25%, purchase 10%, search 20%. */
    private static int weighted(long h) {
        int p = (int) ((h & 0xFF) * 100 / 256);
        return p < 45 ? 0 : p < 70 ? 1 : p < 80 ? 2 : 3;
    }

    private static String pad(long v, int width) {
        String s = Long.toString(v);
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }

    /** A multiplier coprime with m (so that i -> i * u mod m is a bijection), not close to 1. */
    static long unitModulo(long m) {
        long u = 7_919; // a prime
        while (gcd(u, m) != 1) {
            u += 2;
        }
        return u % m == 0 ? 1 : u;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** SplitMix64's finalizer: a good 64-bit hash of the index. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
