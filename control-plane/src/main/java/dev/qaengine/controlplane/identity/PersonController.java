package dev.qaengine.controlplane.identity;

import dev.qaengine.controlplane.tenancy.Access;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.tenancy.Role;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.ProblemCode;
import dev.qaengine.model.IdType;
import dev.qaengine.model.IdentifierRules;
import dev.qaengine.model.PersonRecord;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Persons of the caller's organization, found by any of their identifiers, as the identity job joined them. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Identity", description = "How identifiers are joined into persons: unique ID types, identifiers per person")
public class PersonController {
    private static final String ID_TYPES = Arrays.stream(IdType.values()).map(IdType::apiName).collect(Collectors.joining(", "));

    private final PersonDirectory directory;

    public PersonController(PersonDirectory directory) {
        this.directory = directory;
    }

    @GetMapping("/persons/{idType}/{idValue}")
    @Access(Role.ANALYST)
    @Operation(summary = "Find a person by one of their identifiers",
            description = "The person record the identity job keeps in Redis (state-schemas/person-record-v1): the person id, "
                    + "when their oldest identifier was first seen, a version that grows with every change, and every identifier. "
                    + "idType is an ID type in any case (mobile, MOBILE, open_id…); idValue is normalized as the identity job "
                    + "normalizes it, so '+86 138-0013-8000' finds 13800138000 and 'A@Example.com' finds a@example.com.")
    @ApiResponse(responseCode = "400", description = "idType names no ID type, or idValue is not valid for it (bad-parameter, naming the field)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "503", description = "Redis does not answer (redis-unavailable)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    public PersonRecord person(Caller caller,
                               @Parameter(description = "ID type, any case", example = "mobile") @PathVariable String idType,
                               @Parameter(description = "the identifier, as any client spells it", example = "13800138000") @PathVariable String idValue) {
        IdType type = IdType.parse(idType).orElseThrow(() -> ApiException.field(ProblemCode.BAD_PARAMETER, "idType",
                "'" + clip(idType) + "' is not an ID type; one of " + ID_TYPES + " (any case)"));
        IdentifierRules.Result id = IdentifierRules.normalize(type, idValue);
        if (!id.valid()) {
            throw ApiException.field(ProblemCode.BAD_PARAMETER, "idValue", id.problem());
        }
        return directory.find(caller.orgId(), id.identifier()).orElseThrow(() -> new ApiException(ProblemCode.NOT_FOUND,
                "no person of this organization holds this " + type.name() + " identifier"));
    }

    private static String clip(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "…";
    }
}
