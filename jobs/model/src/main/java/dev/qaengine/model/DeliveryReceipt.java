package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A webhook receipt the control plane accepted (CONTRACTS.md §3), on {@code qa.deliveries} keyed by
 * {@code taskId} (schema: state-schemas/delivery-receipt-v1.schema.json). The topic will carry other
 * delivery records too; {@code type} tells them apart.
 *
 * @param webhookId      {@code callback_params.webhook_id}: the webhook's interface id
 * @param taskId         {@code callback_params.task_id}: the action sub-task the send belonged to
 * @param msgId          the receiver's message id ({@code msg_id})
 * @param customerId     the person's target id the send went to ({@code cst_id})
 * @param receiverStatus {@code status} as the receiver reported it, e.g. "200"
 * @param status         {@code receiverStatus} mapped through the webhook's status-code table
 * @param sendTime       {@code callback_params.send_time}: when the engine sent the request, epoch ms
 * @param reportedTime   the receipt's own {@code send_time} (when the receiver sent its message), epoch ms; null when absent
 * @param receiptTime    when the control plane accepted the receipt, epoch ms
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryReceipt(
        @JsonProperty("v") int v,
        @JsonProperty("type") String type,
        @JsonProperty("orgId") String orgId,
        @JsonProperty("webhookId") String webhookId,
        @JsonProperty("taskId") String taskId,
        @JsonProperty("msgId") String msgId,
        @JsonProperty("customerId") String customerId,
        @JsonProperty("receiverStatus") String receiverStatus,
        @JsonProperty("status") DeliveryStatus status,
        @JsonProperty("sendTime") long sendTime,
        @JsonProperty("reportedTime") Long reportedTime,
        @JsonProperty("receiptTime") long receiptTime) {

    public static final int VERSION = 1;
    public static final String WEBHOOK_RECEIPT = "WEBHOOK_RECEIPT";

    public static DeliveryReceipt webhook(String orgId, String webhookId, String taskId, String msgId, String customerId,
                                          String receiverStatus, DeliveryStatus status, long sendTime, Long reportedTime,
                                          long receiptTime) {
        return new DeliveryReceipt(VERSION, WEBHOOK_RECEIPT, orgId, webhookId, taskId, msgId, customerId, receiverStatus, status,
                sendTime, reportedTime, receiptTime);
    }
}
