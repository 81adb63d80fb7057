package dev.qaengine.controlplane.receipt;

import dev.qaengine.model.WebhookSignature;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;

/**
 * The receipt endpoint partners' systems call (CONTRACTS.md §3), at the product's path. No API key: the
 * request is authenticated by the webhook's signature. The body is read raw (any content type): senders'
 * JSON is checked by hand so every refusal names its reason.
 */
@RestController
@Tag(name = "Webhook receipts", description = "Receipts of webhook requests, reported by the receiver (signed, no API key)")
public class ReceiptController {
    public static final String PATH = "/restapi/thirdservice/webhook/receiveWebHookCallBack";
    private static final String EXAMPLE = """
            [{"msg_id":"236eceb5737b473284c930c8ef79090e","status":"200","cst_id":"1917810","send_time":"1625037473000",
              "callback_params":{"task_id":"2e6eceb5737b473284c930c8ef79090e","webhook_id":"13312313-8d2e-4a7b-9c1f-5e6d7c8b9a0f",
                                 "send_time":"1625037472000"}}]""";

    private final ReceiptService receipts;

    public ReceiptController(ReceiptService receipts) {
        this.receipts = receipts;
    }

    @PostMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    @SecurityRequirements
    @Operation(summary = "Report webhook receipts",
            description = "Signed like the webhook's requests: " + WebhookSignature.HEADER + " = lowercase hex HMAC-SHA256(secret, "
                    + "sorted(secret, timestamp, nonce) concatenated), empty for a webhook without secret. The webhook is the one the receipts "
                    + "name in callback_params.webhook_id (one per request). Refused as a whole: bad timestamp/nonce (400 BAD_PARAMETERS), "
                    + "timestamp more than the allowed skew (default 5 min) from the server clock (401 TIMESTAMP_OUT_OF_WINDOW), no or several "
                    + "webhooks named (400 UNKNOWN_CALLBACK_PARAMS / MIXED_WEBHOOKS), unknown webhook (404 UNKNOWN_WEBHOOK), bad signature (401 "
                    + "BAD_SIGNATURE), webhook without receipt settings (422 RECEIPTS_DISABLED), a nonce used already (409 NONCE_REPLAYED), "
                    + "body too large (413 TOO_LARGE), Kafka unavailable (503 UNAVAILABLE: retry the same request). Then each receipt: "
                    + "MALFORMED_RECEIPT, BAD_CALLBACK_PARAMS, RECEIPT_EXPIRED (after the webhook's receipt period from callback_params.send_time), "
                    + "UNKNOWN_STATUS (not in the webhook's status codes). Accepted receipts go to qa.deliveries keyed by task_id; code OK when "
                    + "all were accepted, PARTIALLY_ACCEPTED with the refused ones listed, or (422) the first refusal's code when none was.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, examples = @ExampleObject(value = EXAMPLE))),
            responses = {
                    @ApiResponse(responseCode = "200", description = "taken (code OK or PARTIALLY_ACCEPTED)", content = @Content(
                            schema = @Schema(implementation = ReceiptAnswer.class), examples = @ExampleObject(
                            value = "{\"code\":\"OK\",\"message\":\"\",\"requestId\":\"5f2b1c0d9e8a47b6a3c2d1e0f9a8b7c6\",\"accepted\":1,\"rejected\":[]}"))),
                    @ApiResponse(responseCode = "401", description = "BAD_SIGNATURE or TIMESTAMP_OUT_OF_WINDOW", content = @Content(
                            schema = @Schema(implementation = ReceiptAnswer.class), examples = @ExampleObject(
                            value = "{\"code\":\"BAD_SIGNATURE\",\"message\":\"X-QA-Hmac-Signature is not the webhook's signature of timestamp and nonce\","
                                    + "\"requestId\":\"5f2b1c0d9e8a47b6a3c2d1e0f9a8b7c6\"}"))),
                    @ApiResponse(responseCode = "409", description = "NONCE_REPLAYED", content = @Content(schema = @Schema(implementation = ReceiptAnswer.class))),
                    @ApiResponse(responseCode = "422", description = "every receipt refused, or RECEIPTS_DISABLED",
                            content = @Content(schema = @Schema(implementation = ReceiptAnswer.class)))})
    public ResponseEntity<ReceiptAnswer> receive(
            @Parameter(description = "unix seconds", example = "1631865523") @RequestParam(required = false) String timestamp,
            @Parameter(description = "32 random hex digits, new for every request", example = "2e6eceb5737b473284c930c8ef79090e")
            @RequestParam(required = false) String nonce,
            @Parameter(description = "the signature; empty for a webhook without secret")
            @RequestHeader(name = WebhookSignature.HEADER, required = false) String signature,
            HttpServletRequest request) throws IOException {
        ReceiptService.Result r = receipts.receive(timestamp, nonce, signature, request.getContentLengthLong(), request.getInputStream());
        return ResponseEntity.status(r.status()).contentType(MediaType.APPLICATION_JSON).body(r.body());
    }
}
