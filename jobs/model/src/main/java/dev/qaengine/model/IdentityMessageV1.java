package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Inbound identity message v1 (CONTRACTS.md §2; schema: state-schemas/identity-message-v1.schema.json): the
 * identifiers in {@code customerIdList} belong to the customer {@code customerId}. Events carry only that
 * {@code customerId}; these messages are what tie it to the IDs channels send to.
 * {@code orgnizationId} is misspelled on the wire on purpose; {@code organizationId} is read too.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IdentityMessageV1(
        @JsonProperty("orgnizationId") @JsonAlias("organizationId") String orgnizationId,
        @JsonProperty("customerId") String customerId,
        @JsonProperty("customerIdList") List<IdentityLink> customerIdList,
        @JsonProperty("v") Integer v) {

    public static final int VERSION = 1;

    public static IdentityMessageV1 of(String org, String customerId, List<IdentityLink> links) {
        return new IdentityMessageV1(org, customerId, links, VERSION);
    }

    @JsonIgnore
    public String orgId() {
        return orgnizationId;
    }

    public List<IdentityLink> customerIdListOrEmpty() {
        return customerIdList == null ? List.of() : customerIdList;
    }
}
