package dev.qaengine.controlplane.receipt;

import org.springframework.http.HttpStatus;

import java.util.Locale;

/**
 * Why a receipt request, or one receipt in it, is refused. The name is the answer's {@code code}; the
 * lower-case name is the {@code reason} tag of the {@code qa.receipts.rejected} counter.
 */
public enum ReceiptReason {
    // the request as a whole
    /** timestamp or nonce missing or malformed. */
    BAD_PARAMETERS(HttpStatus.BAD_REQUEST),
    /** The body is not a JSON array of receipt objects (or one object). */
    MALFORMED_BODY(HttpStatus.BAD_REQUEST),
    /** Body or receipt count above the limit. */
    TOO_LARGE(HttpStatus.PAYLOAD_TOO_LARGE),
    /** timestamp outside the allowed skew from our clock. */
    TIMESTAMP_OUT_OF_WINDOW(HttpStatus.UNAUTHORIZED),
    /** No receipt names a webhook in callback_params.webhook_id. */
    UNKNOWN_CALLBACK_PARAMS(HttpStatus.BAD_REQUEST),
    /** Receipts of several webhooks in one request: one signature can only be checked with one secret. */
    MIXED_WEBHOOKS(HttpStatus.BAD_REQUEST),
    /** callback_params.webhook_id is no webhook. */
    UNKNOWN_WEBHOOK(HttpStatus.NOT_FOUND),
    /** X-QA-Hmac-Signature is not the webhook's signature of timestamp and nonce. */
    BAD_SIGNATURE(HttpStatus.UNAUTHORIZED),
    /** The webhook takes no receipts (no receipt settings). */
    RECEIPTS_DISABLED(HttpStatus.UNPROCESSABLE_CONTENT),
    /** This nonce was used already within the skew window. */
    NONCE_REPLAYED(HttpStatus.CONFLICT),
    /** Kafka did not acknowledge in time: nothing was taken, the nonce stays free; retry. */
    UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE),
    // one receipt
    /** msg_id or status missing or not text. */
    MALFORMED_RECEIPT(HttpStatus.UNPROCESSABLE_CONTENT),
    /** callback_params missing, or without task_id, or send_time not epoch milliseconds. */
    BAD_CALLBACK_PARAMS(HttpStatus.UNPROCESSABLE_CONTENT),
    /** Later than the webhook's receipt period after callback_params.send_time. */
    RECEIPT_EXPIRED(HttpStatus.UNPROCESSABLE_CONTENT),
    /** status is not in the webhook's status-code table. */
    UNKNOWN_STATUS(HttpStatus.UNPROCESSABLE_CONTENT);

    private final HttpStatus status;

    ReceiptReason(HttpStatus status) {
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    /** The {@code reason} tag of {@code qa.receipts.rejected}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
