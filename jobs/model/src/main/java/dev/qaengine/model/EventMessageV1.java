package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * Inbound event message v1, exactly as the product's SDKs send it (CONTRACTS.md §1).
 * {@code orgnizationId} is misspelled on the wire on purpose; {@code organizationId} is accepted too.
 * The normalize job parses this shape with a streaming parser (for speed and precise error reports);
 * this record is what producers (the demo, the benchmark, the control plane) write.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventMessageV1(
        @JsonProperty("orgnizationId") String orgnizationId,
        @JsonProperty("customerId") String customerId,
        @JsonProperty("eventSourceCode") String eventSourceCode,
        @JsonProperty("eventCode") String eventCode,
        @JsonProperty("eventTime") Long eventTime,
        @JsonProperty("extendAttributes") Map<String, String> extendAttributes,
        @JsonProperty("v") Integer v) {

    public static EventMessageV1 of(String org, String customerId, String channel, String eventCode,
                                    long eventTime, Map<String, String> attributes) {
        return new EventMessageV1(org, customerId, channel, eventCode, eventTime, attributes, 1);
    }

    @JsonIgnore
    public String orgId() {
        return orgnizationId;
    }
}
