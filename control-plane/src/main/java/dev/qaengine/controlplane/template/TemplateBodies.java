package dev.qaengine.controlplane.template;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.OffsetDateTime;

/** Request and response bodies of SMS signatures, SMS templates and email templates (CONTRACTS.md §4). */
public final class TemplateBodies {
    /** The platform's limit of an email template's content (28 KB). */
    public static final int MAX_EMAIL_CONTENT_BYTES = 28 * 1024;

    private TemplateBodies() {
    }

    /** The platform's {@code templateType}. */
    public enum SmsTemplateType {
        VERIFICATION_CODE(0), NOTIFICATION(1), PROMOTION(2), INTERNATIONAL(3);

        private final int platformValue;

        SmsTemplateType(int platformValue) {
            this.platformValue = platformValue;
        }

        public int platformValue() {
            return platformValue;
        }
    }

    // --- SMS signatures

    public record SmsSignatureCreate(
            @Schema(example = "3f1c5a2e-7d41-4c2b-9a55-0d8e6f1b2c3d", description = "the SMS platform it is registered with") @NotBlank String platformId,
            @Schema(example = "QA商城", description = "the signature as the platform knows it, without 【】 (added when sending)")
            @NotBlank @Size(max = 64) String signName) {
    }

    public record SmsSignature(
            @Schema(example = "8e7d6c5b-4a39-4281-9f0e-d1c2b3a49586") String id,
            @Schema(example = "3f1c5a2e-7d41-4c2b-9a55-0d8e6f1b2c3d") String platformId,
            @Schema(example = "QA商城") String signName,
            @Schema(example = "APPROVED", description = "the platform's review: only APPROVED signatures may be used") ReviewStatus status,
            @Schema(example = "无审核备注", description = "the platform's review note") String reason,
            @Schema(description = "when the status was last asked of the platform") OffsetDateTime statusSyncedAt,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
    }

    // --- SMS templates

    public record SmsTemplateBody(
            @Schema(example = "3f1c5a2e-7d41-4c2b-9a55-0d8e6f1b2c3d", description = "the SMS platform; cannot change on update")
            @NotBlank String platformId,
            @Schema(example = "Cart reminder", description = "templateName, 1-30 characters") @NotBlank @Size(max = 30) String name,
            @Schema(example = "您的购物车里还有${count}件商品，${name}，快来看看吧", description = "templateContent, 1-500 characters")
            @NotBlank @Size(max = 500) String content,
            @Schema(example = "PROMOTION", description = "templateType: VERIFICATION_CODE 0, NOTIFICATION 1, PROMOTION 2, INTERNATIONAL 3")
            @NotNull SmsTemplateType type,
            @Schema(example = "购物车提醒", description = "templateSubject, optional, up to 20 characters") @Size(max = 20) String subject,
            @Schema(example = "Reminds shoppers of the items left in their cart", description = "remark: the use case, 1-100 characters")
            @NotBlank @Size(max = 100) String remark) {
    }

    public record SmsTemplate(
            @Schema(example = "1b2c3d4e-5f60-4718-a9b0-c1d2e3f40516") String id,
            @Schema(example = "3f1c5a2e-7d41-4c2b-9a55-0d8e6f1b2c3d") String platformId,
            @Schema(example = "SMS_153055065", description = "the platform's code, used when sending") String templateCode,
            @Schema(example = "Cart reminder") String name,
            @Schema(example = "您的购物车里还有${count}件商品，${name}，快来看看吧") String content,
            @Schema(example = "PROMOTION") SmsTemplateType type,
            @Schema(example = "购物车提醒") String subject,
            @Schema(example = "Reminds shoppers of the items left in their cart") String remark,
            @Schema(example = "PENDING", description = "the platform's review: only APPROVED templates may be used") ReviewStatus status,
            @Schema(example = "无审核备注") String reason,
            OffsetDateTime statusSyncedAt,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
    }

    // --- email templates

    public record EmailTemplateBody(
            @Schema(example = "7b2d9c4e-1a3f-4e5d-8c6b-2f0a9e8d7c6b", description = "the email platform; cannot change on update")
            @NotBlank String platformId,
            @Schema(example = "Welcome", description = "templateName, 1-30 characters") @NotBlank @Size(max = 30) String name,
            @Schema(example = "Welcome to QA Shop, ${name}", description = "templateSubject") @NotBlank @Size(max = 200) String subject,
            @Schema(example = "<p>Hello ${name}, welcome!</p>", description = "templateContent, at most 28 KB (UTF-8)") @NotBlank String content,
            @Schema(example = "QA Shop", description = "senderName") @NotBlank @Size(max = 100) String senderName,
            @Schema(example = "Sent after sign-up", description = "remark: the use case, 1-100 characters") @NotBlank @Size(max = 100) String remark) {
    }

    public record EmailTemplate(
            @Schema(example = "2c3d4e5f-6071-4829-b0c1-d2e3f4051627") String id,
            @Schema(example = "7b2d9c4e-1a3f-4e5d-8c6b-2f0a9e8d7c6b") String platformId,
            @Schema(example = "EMAIL_100042") String templateCode,
            @Schema(example = "Welcome") String name,
            @Schema(example = "Welcome to QA Shop, ${name}") String subject,
            @Schema(example = "<p>Hello ${name}, welcome!</p>") String content,
            @Schema(example = "QA Shop") String senderName,
            @Schema(example = "Sent after sign-up") String remark,
            @Schema(example = "APPROVED", description = "APPROVED at once when the platform does not review templates") ReviewStatus status,
            @Schema(example = "无审核备注") String reason,
            OffsetDateTime statusSyncedAt,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
    }
}
