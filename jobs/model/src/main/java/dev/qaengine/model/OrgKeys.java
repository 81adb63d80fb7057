package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An organization's keys the engine needs, published on {@code qa.control} as ORG_KEYS (schema:
 * state-schemas/org-keys-v1.schema.json). Never in clear: every key is a {@link SecretBox} value sealed with
 * {@code QA_SECRET_KEY}, which the jobs hold too.
 *
 * @param aesKey the organization's AES key for encrypted audience IDs (CONTRACTS.md §6), sealed; open it
 *               and pass it to {@link AesIdCodec}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrgKeys(
        @JsonProperty("orgId") String orgId,
        @JsonProperty("aesKey") String aesKey) {
}
