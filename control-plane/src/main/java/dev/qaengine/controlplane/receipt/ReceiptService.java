package dev.qaengine.controlplane.receipt;

import dev.qaengine.controlplane.channel.ChannelInterfaceService;
import dev.qaengine.controlplane.channel.InterfaceSettings;
import dev.qaengine.controlplane.channel.StoredInterface;
import dev.qaengine.controlplane.config.Clocks;
import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.model.DeliveryReceipt;
import dev.qaengine.model.DeliveryStatus;
import dev.qaengine.model.Topics;
import dev.qaengine.model.WebhookAuth;
import dev.qaengine.model.WebhookSignature;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Webhook receipts (CONTRACTS.md §3): a receiver reports what became of the requests a webhook sent. A request
 * carries no API key; it is authenticated by the webhook's signature of its {@code timestamp} and
 * {@code nonce}, the webhook being the one its receipts name in {@code callback_params.webhook_id}.
 *
 * <p>The request as a whole is refused for: bad parameters, a body that is not receipts, a timestamp outside
 * the skew window, no or several webhooks named, an unknown webhook, a bad signature, a webhook without
 * receipt settings, a nonce seen before. Then each receipt is judged on its own — malformed, bad
 * callback_params, later than the webhook's receipt period after {@code callback_params.send_time}, a status
 * not in the webhook's table — and the accepted ones go to {@code qa.deliveries} keyed by task id. The nonce
 * is remembered in the same database transaction that waits for Kafka's acknowledgements: if Kafka does not
 * acknowledge, nothing was taken and the same request may be retried.
 */
@Service
public class ReceiptService {
    private static final Logger log = LoggerFactory.getLogger(ReceiptService.class);
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    private static final Pattern NONCE = Pattern.compile("[0-9A-Za-z_-]{1,64}");
    private static final int MAX_TEXT = 256;

    private final ChannelInterfaceService interfaces;
    private final NonceRepository nonces;
    private final KafkaTemplate<byte[], byte[]> kafka;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final ObjectReader reader;
    private final Clocks clocks;
    private final QaProperties.Receipts settings;
    private final Map<ReceiptReason, Counter> rejected = new EnumMap<>(ReceiptReason.class);
    private final Counter accepted;

    public ReceiptService(ChannelInterfaceService interfaces, NonceRepository nonces, KafkaTemplate<byte[], byte[]> kafka,
                          TransactionTemplate transactions, JsonMapper json, Clocks clocks, QaProperties properties, MeterRegistry meters) {
        this.interfaces = interfaces;
        this.nonces = nonces;
        this.kafka = kafka;
        this.transactions = transactions;
        this.json = json;
        this.reader = json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        this.clocks = clocks;
        this.settings = properties.receipts();
        // Every reason registered up front: /actuator/metrics lists them all, at 0 until one happens.
        for (ReceiptReason r : ReceiptReason.values()) {
            rejected.put(r, Counter.builder("qa.receipts.rejected").description("webhook receipt requests refused as a whole, "
                    + "and single receipts refused, by reason").tag("reason", r.tag()).register(meters));
        }
        this.accepted = Counter.builder("qa.receipts.accepted").description("webhook receipts forwarded to qa.deliveries").register(meters);
    }

    /** An answer and its HTTP status. */
    public record Result(HttpStatus status, ReceiptAnswer body) {
    }

    /** A refusal of the whole request. */
    private static final class Refused extends RuntimeException {
        final ReceiptReason reason;

        Refused(ReceiptReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    /** One receipt, checked. */
    private record Judged(int index, DeliveryReceipt receipt, ReceiptReason reason, String message) {
    }

    public Result receive(String timestamp, String nonce, String signature, long contentLength, java.io.InputStream body) {
        String requestId = UUID.randomUUID().toString().replace("-", "");
        try {
            return accept(timestamp, nonce, signature, contentLength, body, requestId);
        } catch (Refused r) {
            rejected.get(r.reason).increment();
            log.info("receipt request {} refused: {} ({})", requestId, r.reason, r.getMessage());
            return new Result(r.reason.status(), ReceiptAnswer.refused(r.reason, r.getMessage(), requestId));
        }
    }

    private Result accept(String timestamp, String nonce, String signature, long contentLength, java.io.InputStream in, String requestId) {
        long now = clocks.clock().millis();
        long ts = checkParameters(timestamp, nonce, now);
        List<JsonNode> items = parse(contentLength, in);

        Set<String> named = new LinkedHashSet<>();
        for (JsonNode item : items) {
            String webhookId = text(item.path("callback_params").get("webhook_id"));
            if (webhookId != null) {
                named.add(webhookId);
            }
        }
        if (named.isEmpty()) {
            throw new Refused(ReceiptReason.UNKNOWN_CALLBACK_PARAMS, "no receipt names its webhook in callback_params.webhook_id");
        }
        if (named.size() > 1) {
            throw new Refused(ReceiptReason.MIXED_WEBHOOKS, "the receipts name " + named.size() + " webhooks; send each webhook's receipts "
                    + "in a request of their own, signed with its secret");
        }
        String webhookId = named.iterator().next();
        StoredInterface webhook = interfaces.webhookForReceipt(webhookId)
                .orElseThrow(() -> new Refused(ReceiptReason.UNKNOWN_WEBHOOK, "no webhook '" + clip(webhookId) + "'"));
        InterfaceSettings.Webhook settings = webhook.settings(InterfaceSettings.Webhook.class);
        String secret = settings.auth() == WebhookAuth.SECRET ? interfaces.openSecret(webhook, "secret") : null;
        if (!WebhookSignature.verify(secret, timestamp, nonce, signature)) {
            throw new Refused(ReceiptReason.BAD_SIGNATURE, WebhookSignature.HEADER + " is not the webhook's signature of timestamp and nonce"
                    + (secret == null ? " (the webhook has no secret: the header must be empty)" : ""));
        }
        if (settings.receipt() == null) {
            throw new Refused(ReceiptReason.RECEIPTS_DISABLED, "webhook '" + webhookId + "' has no receipt settings: it takes no receipts");
        }

        List<Judged> judged = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            judged.add(judge(i, items.get(i), webhook, settings.receipt(), now));
        }
        List<DeliveryReceipt> good = judged.stream().filter(j -> j.receipt() != null).map(Judged::receipt).toList();
        remember(webhookId, nonce, ts, good);

        List<ReceiptAnswer.Rejected> bad = new ArrayList<>();
        for (Judged j : judged) {
            if (j.reason() != null) {
                rejected.get(j.reason()).increment();
                bad.add(new ReceiptAnswer.Rejected(j.index(), j.reason().name(), j.message()));
            }
        }
        accepted.increment(good.size());
        if (bad.isEmpty()) {
            return new Result(HttpStatus.OK, new ReceiptAnswer("OK", "", requestId, good.size(), List.of()));
        }
        String summary = bad.size() + " of " + items.size() + " receipts refused: " + bad.stream().limit(10)
                .map(b -> "[" + b.index() + "] " + b.code() + ": " + b.message()).collect(Collectors.joining("; "))
                + (bad.size() > 10 ? "; and " + (bad.size() - 10) + " more" : "");
        log.info("receipt request {} for webhook {}: {}", requestId, webhookId, summary);
        if (good.isEmpty()) {
            return new Result(HttpStatus.UNPROCESSABLE_CONTENT, new ReceiptAnswer(bad.get(0).code(), summary, requestId, 0, bad));
        }
        return new Result(HttpStatus.OK, new ReceiptAnswer("PARTIALLY_ACCEPTED", summary, requestId, good.size(), bad));
    }

    /** timestamp (unix seconds, within the skew window) and nonce; answers the timestamp in epoch ms. */
    private long checkParameters(String timestamp, String nonce, long now) {
        if (timestamp == null || timestamp.isEmpty() || nonce == null || nonce.isEmpty()) {
            throw new Refused(ReceiptReason.BAD_PARAMETERS, "the URL parameters timestamp (unix seconds) and nonce are required");
        }
        if (!DIGITS.matcher(timestamp).matches() || timestamp.length() > 12) {
            throw new Refused(ReceiptReason.BAD_PARAMETERS, "timestamp must be unix seconds, e.g. 1631865523");
        }
        if (!NONCE.matcher(nonce).matches()) {
            throw new Refused(ReceiptReason.BAD_PARAMETERS, "nonce must be 1-64 letters, digits, _ or - (the contract: 32 random hex digits)");
        }
        long ts = Long.parseLong(timestamp) * 1000;
        long skew = settings.skew().toMillis();
        if (Math.abs(now - ts) > skew) {
            throw new Refused(ReceiptReason.TIMESTAMP_OUT_OF_WINDOW, "timestamp " + timestamp + " is " + Duration.ofMillis(Math.abs(now - ts)).toSeconds()
                    + " s from the server's clock; at most " + settings.skew().toSeconds() + " s are allowed");
        }
        return ts;
    }

    private List<JsonNode> parse(long contentLength, java.io.InputStream in) {
        long max = settings.maxBodySize().toBytes();
        if (contentLength > max) {
            throw new Refused(ReceiptReason.TOO_LARGE, "the body is larger than the limit of " + max + " bytes");
        }
        byte[] bytes;
        try {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        } catch (java.io.IOException e) {
            throw new Refused(ReceiptReason.MALFORMED_BODY, "the body could not be read");
        }
        if (bytes.length > max) {
            throw new Refused(ReceiptReason.TOO_LARGE, "the body is larger than the limit of " + max + " bytes");
        }
        JsonNode root;
        try {
            root = bytes.length == 0 ? null : reader.readTree(bytes);
        } catch (JacksonException e) {
            throw new Refused(ReceiptReason.MALFORMED_BODY, "the body is not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw new Refused(ReceiptReason.MALFORMED_BODY, "the body is empty; send a JSON array of receipts");
        }
        List<JsonNode> items = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(items::add);
        } else if (root.isObject()) {
            items.add(root); // accept more: one receipt without its array
        }
        if (items.isEmpty() || items.stream().anyMatch(n -> !n.isObject())) {
            throw new Refused(ReceiptReason.MALFORMED_BODY, "the body must be a JSON array of receipt objects "
                    + "{msg_id, status, cst_id, send_time, callback_params}");
        }
        if (items.size() > settings.maxReceipts()) {
            throw new Refused(ReceiptReason.TOO_LARGE, items.size() + " receipts, more than the limit of " + settings.maxReceipts() + " per request");
        }
        return items;
    }

    private Judged judge(int index, JsonNode item, StoredInterface webhook, InterfaceSettings.Receipt receipt, long now) {
        String msgId = text(item.get("msg_id"));
        String status = text(item.get("status"));
        if (msgId == null || msgId.isBlank() || msgId.length() > MAX_TEXT) {
            return refused(index, ReceiptReason.MALFORMED_RECEIPT, "msg_id is required (text, up to " + MAX_TEXT + " characters)");
        }
        if (status == null || status.isBlank() || status.length() > MAX_TEXT) {
            return refused(index, ReceiptReason.MALFORMED_RECEIPT, "status is required (text, e.g. \"200\")");
        }
        String customerId = text(item.get("cst_id"));
        Long reportedTime = null;
        String reported = text(item.get("send_time"));
        if (reported != null && !reported.isBlank()) {
            if (!DIGITS.matcher(reported).matches()) {
                return refused(index, ReceiptReason.MALFORMED_RECEIPT, "send_time must be epoch milliseconds");
            }
            reportedTime = Long.parseLong(reported);
        }
        JsonNode callback = item.get("callback_params");
        if (callback == null || !callback.isObject()) {
            return refused(index, ReceiptReason.BAD_CALLBACK_PARAMS, "callback_params is required, as the webhook request carried it");
        }
        String taskId = text(callback.get("task_id"));
        String webhookId = text(callback.get("webhook_id"));
        String sendTime = text(callback.get("send_time"));
        if (webhookId == null || !webhookId.equals(webhook.id())) {
            return refused(index, ReceiptReason.BAD_CALLBACK_PARAMS, "callback_params.webhook_id is missing");
        }
        if (taskId == null || taskId.isBlank() || taskId.length() > MAX_TEXT) {
            return refused(index, ReceiptReason.BAD_CALLBACK_PARAMS, "callback_params.task_id is missing");
        }
        if (sendTime == null || !DIGITS.matcher(sendTime).matches()) {
            return refused(index, ReceiptReason.BAD_CALLBACK_PARAMS, "callback_params.send_time must be the epoch milliseconds the request carried");
        }
        long sent = Long.parseLong(sendTime);
        if (sent > now + settings.skew().toMillis()) {
            return refused(index, ReceiptReason.BAD_CALLBACK_PARAMS, "callback_params.send_time is in the future");
        }
        long period = receipt.periodMinutes() * 60_000L;
        if (now - sent > period) {
            return refused(index, ReceiptReason.RECEIPT_EXPIRED, "received " + Duration.ofMillis(now - sent).toMinutes()
                    + " min after callback_params.send_time; the webhook's receipt period is " + receipt.periodMinutes() + " min");
        }
        String code = status.strip();
        DeliveryStatus mapped = receipt.statusCodes().stream().filter(c -> c.code().equals(code)).map(InterfaceSettings.StatusCode::status)
                .findFirst().orElse(null);
        if (mapped == null) {
            return refused(index, ReceiptReason.UNKNOWN_STATUS, "status '" + clip(code) + "' is not in the webhook's status codes "
                    + receipt.statusCodes().stream().map(InterfaceSettings.StatusCode::code).toList());
        }
        return new Judged(index, DeliveryReceipt.webhook(webhook.orgId(), webhook.id(), taskId, msgId, customerId, code, mapped, sent,
                reportedTime, now), null, null);
    }

    private static Judged refused(int index, ReceiptReason reason, String message) {
        return new Judged(index, null, reason, message);
    }

    /**
     * Remembers the nonce and forwards the accepted receipts, in one transaction: the nonce row commits only
     * once Kafka acknowledged every record, so a request that failed here can be sent again as it was.
     */
    private void remember(String webhookId, String nonce, long ts, List<DeliveryReceipt> receipts) {
        try {
            transactions.executeWithoutResult(s -> {
                try {
                    nonces.insert(webhookId, nonce, clocks.now().plus(settings.skew()).plus(Duration.ofMillis(Math.max(0, ts - clocks.clock().millis()))));
                } catch (DuplicateKeyException e) {
                    throw new Refused(ReceiptReason.NONCE_REPLAYED, "nonce '" + nonce + "' was used already within the last "
                            + settings.skew().toMinutes() + " min; every request needs a new one");
                }
                send(receipts);
            });
        } catch (Refused r) {
            throw r;
        } catch (RuntimeException e) {
            log.warn("receipts for webhook {} not forwarded: {}", webhookId, e.toString());
            throw new Refused(ReceiptReason.UNAVAILABLE, "the receipts could not be forwarded (Kafka did not acknowledge in time); "
                    + "nothing was taken — send the same request again");
        }
    }

    private void send(List<DeliveryReceipt> receipts) {
        List<CompletableFuture<?>> acks = new ArrayList<>(receipts.size());
        for (DeliveryReceipt r : receipts) {
            acks.add(kafka.send(new ProducerRecord<>(Topics.DELIVERIES, r.taskId().getBytes(StandardCharsets.UTF_8), json.writeValueAsBytes(r))));
        }
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not acknowledge: " + e, e);
        }
    }

    /** Purges nonces whose timestamps have left the skew window (a replay of them fails the timestamp check anyway). */
    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
    public void purgeNonces() {
        int n = transactions.execute(s -> nonces.purgeExpired(clocks.now()));
        if (n > 0) {
            log.debug("purged {} expired receipt nonces", n);
        }
    }

    /** A JSON scalar as text (numbers as written: the contract says strings, senders send numbers too). */
    private static String text(JsonNode v) {
        if (v == null || v.isNull() || v.isContainer()) {
            return null;
        }
        return v.isString() ? v.stringValue() : v.asString();
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
