package dev.qaengine.controlplane.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Inbound identity message v1 (CONTRACTS.md §2), as written to {@code qa.identities.raw}.
 * Kept here until qa-model's own IdentityMessageV1 lands; then this record goes and that one is used.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IdentityMessageV1(
        @JsonProperty("orgnizationId") String orgnizationId,
        @JsonProperty("customerId") String customerId,
        @JsonProperty("customerIdList") List<IdMapping> customerIdList,
        @JsonProperty("v") Integer v) {

    /** One identifier of the customer: its value and its ID type (lower-case wire spelling). */
    public record IdMapping(
            @JsonProperty("customerId") String customerId,
            @JsonProperty("idMapping") String idMapping) {
    }
}
