package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A refused link or identity message, on {@code qa.identity.audit} keyed by org (schema:
 * state-schemas/identity-audit-v1.schema.json). The persons stay apart; nothing was applied.
 *
 * @param anchorType  the message's customer id type (ONEID), or null when the message was unreadable
 * @param anchorValue the message's {@code customerId} as normalized (as sent when invalid)
 * @param idType      the linked identifier's type as sent ({@code idMapping}), null for a message-level refusal
 * @param idValue     the linked identifier's value (normalized when valid)
 * @param persons     the person ids the link would have merged (empty when it never reached a person)
 * @param time        epoch ms: the identity message's record timestamp
 * @param seq         the decision's logical clock (causal order of decisions; 0 for refusals made on receipt)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IdentityAudit(
        @JsonProperty("v") int v,
        @JsonProperty("orgId") String orgId,
        @JsonProperty("reason") IdentityRefusal reason,
        @JsonProperty("detail") String detail,
        @JsonProperty("anchorType") String anchorType,
        @JsonProperty("anchorValue") String anchorValue,
        @JsonProperty("idType") String idType,
        @JsonProperty("idValue") String idValue,
        @JsonProperty("persons") List<String> persons,
        @JsonProperty("time") long time,
        @JsonProperty("seq") long seq) {

    public static final int VERSION = 1;
}
