package dev.qaengine.model.journey;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * What {@link JourneyValidator} found. {@code errors} make the definition unacceptable (it is not saved);
 * {@code incomplete} lists the branches that do not end in an action or END yet: such a journey is saved
 * as INCOMPLETE and cannot be started.
 */
public record JourneyCheck(
        @JsonProperty("errors") List<Violation> errors,
        @JsonProperty("incomplete") List<Violation> incomplete) {

    public boolean valid() {
        return errors.isEmpty();
    }

    public boolean startable() {
        return errors.isEmpty() && incomplete.isEmpty();
    }

    /**
     * One finding. {@code node} is the node's id (null for the journey or its trigger); {@code field} the
     * JSON path within the definition ({@code trigger.participation.maxEntries}, {@code nodes[sms].config.template});
     * {@code code} a stable machine-readable name; {@code message} says what is wrong and what is allowed.
     */
    public record Violation(
            @JsonProperty("node") String node,
            @JsonProperty("field") String field,
            @JsonProperty("code") String code,
            @JsonProperty("message") String message) {
    }
}
