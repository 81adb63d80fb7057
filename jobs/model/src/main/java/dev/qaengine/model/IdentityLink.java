package dev.qaengine.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * One entry of an identity message's {@code customerIdList}: "the identifier {@code customerId} of type
 * {@code idMapping} belongs to this customer". {@code idMapping} stays the string the client sent, so that
 * an unknown type reaches the identity job as a value it rejects with a reason, not as a parse failure of
 * the whole message; {@link #idType()} reads it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IdentityLink(
        @JsonProperty("customerId") String customerId,
        @JsonProperty("idMapping") String idMapping) {

    /** A link written in the identity API's spelling (lower case). */
    public static IdentityLink of(IdType type, String id) {
        return new IdentityLink(id, type.apiName());
    }

    @JsonIgnore
    public Optional<IdType> idType() {
        return IdType.parse(idMapping);
    }
}
