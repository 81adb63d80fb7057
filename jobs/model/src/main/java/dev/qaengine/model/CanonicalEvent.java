package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A validated, typed event: what every stage after normalization consumes from
 * {@code qa.events.normalized} (schema: state-schemas/canonical-event-v1.schema.json).
 *
 * @param eventId    deterministic id of the message content (org, customer, channel, code, time, attributes):
 *                   the same message delivered twice carries the same id, so every consumer can de-duplicate
 * @param channel    the channel's APP_KEY ({@code eventSourceCode}); null when the message named none
 *                   (it then matches journeys of any channel)
 * @param appType    the channel's app type (APP, MINI_PROGRAM, WEB, THIRD_PARTY); null without a channel
 * @param attributes typed by the event definition: TEXT as JSON strings, NUMBER as JSON numbers
 * @param eventTime  epoch ms, as reported
 * @param ingestTime epoch ms at which the raw record entered Kafka (its record timestamp)
 * @param customerIdType the ID type of {@code customerId} when the channel declares one other than ONEID
 *                   ({@link ChannelDefinition#customerIdType}); absent = ONEID
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanonicalEvent(
        @JsonProperty("v") int v,
        @JsonProperty("eventId") String eventId,
        @JsonProperty("orgId") String orgId,
        @JsonProperty("customerId") String customerId,
        @JsonProperty("channel") String channel,
        @JsonProperty("appType") AppType appType,
        @JsonProperty("eventCode") String eventCode,
        @JsonProperty("attributes") Map<String, Object> attributes,
        @JsonProperty("eventTime") long eventTime,
        @JsonProperty("ingestTime") long ingestTime,
        @JsonProperty("customerIdType") IdType customerIdType) {

    public static final int VERSION = 1;

    public CanonicalEvent(int v, String eventId, String orgId, String customerId, String channel, AppType appType, String eventCode,
                          Map<String, Object> attributes, long eventTime, long ingestTime) {
        this(v, eventId, orgId, customerId, channel, appType, eventCode, attributes, eventTime, ingestTime, null);
    }

    /** The Kafka record key of a canonical event: events of one customer stay in one partition, in order. */
    public static String partitionKey(String orgId, String customerId) {
        return orgId + '|' + customerId;
    }
}
