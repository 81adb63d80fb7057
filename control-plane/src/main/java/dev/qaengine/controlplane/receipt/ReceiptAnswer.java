package dev.qaengine.controlplane.receipt;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * The answer to a receipt request: the receiver answer shape of CONTRACTS.md §3 ({@code code}, {@code message},
 * {@code requestId}; {@code code} "OK" = every receipt accepted), with what happened to each receipt when the
 * request itself was accepted.
 *
 * @param accepted receipts forwarded to qa.deliveries (absent when the request was refused as a whole)
 * @param rejected receipts refused, each with its position in the body and why
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReceiptAnswer(
        @Schema(example = "OK", description = "OK, PARTIALLY_ACCEPTED, or the reason the request (or its only kind of receipt) was refused")
        String code,
        @Schema(example = "") String message,
        @Schema(example = "5f2b1c0d9e8a47b6a3c2d1e0f9a8b7c6", description = "ours, to find the call in the logs") String requestId,
        @Schema(example = "2") Integer accepted,
        List<Rejected> rejected) {

    public record Rejected(
            @Schema(example = "1", description = "position in the body array (0 for a single object)") int index,
            @Schema(example = "RECEIPT_EXPIRED") String code,
            @Schema(example = "received 2 h after callback_params.send_time; the webhook's receipt period is 30 min") String message) {
    }

    public static ReceiptAnswer refused(ReceiptReason reason, String message, String requestId) {
        return new ReceiptAnswer(reason.name(), message, requestId, null, null);
    }
}
