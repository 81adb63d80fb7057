package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A merge, on {@code qa.identity.changes} keyed by {@code orgId|merged} (schema:
 * state-schemas/identity-change-v1.schema.json): the person {@code merged} no longer exists, its
 * identifiers ({@code moved}) now belong to {@code survivor}, the older of the two. Stages that keep
 * per-person state move {@code merged}'s state to {@code survivor} when they read it.
 *
 * @param identifiers the survivor's identifiers after the merge
 * @param time        epoch ms: the record timestamp of the identity message whose link caused the merge
 * @param seq         the decision's logical clock: a stage that sees two changes of one person applies them in seq order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IdentityChange(
        @JsonProperty("v") int v,
        @JsonProperty("type") String type,
        @JsonProperty("orgId") String orgId,
        @JsonProperty("survivor") String survivor,
        @JsonProperty("merged") String merged,
        @JsonProperty("moved") List<Identifier> moved,
        @JsonProperty("identifiers") List<Identifier> identifiers,
        @JsonProperty("time") long time,
        @JsonProperty("seq") long seq) {

    public static final int VERSION = 1;
    public static final String MERGE = "MERGE";
}
