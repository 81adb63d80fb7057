package dev.qaengine.controlplane.identity;

import dev.qaengine.controlplane.identity.IdentityAuditRepository.Filter;
import dev.qaengine.controlplane.identity.IdentityBodies.AuditEntry;
import dev.qaengine.controlplane.tenancy.Access;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.tenancy.Role;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.Page;
import dev.qaengine.controlplane.web.PageRequest;
import dev.qaengine.controlplane.web.Params;
import dev.qaengine.controlplane.web.ProblemCode;
import dev.qaengine.model.IdType;
import dev.qaengine.model.IdentityRefusal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The identity links the identity job refused for the caller's organization. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Identity", description = "How identifiers are joined into persons: unique ID types, identifiers per person")
public class IdentityAuditController {
    private final IdentityAuditService audit;

    public IdentityAuditController(IdentityAuditService audit) {
        this.audit = audit;
    }

    @GetMapping("/identity/audit")
    @Access(Role.ANALYST)
    @Operation(summary = "List refused identity links",
            description = "Links and identity messages the identity job refused (qa.identity.audit): unknown ID types, invalid "
                    + "identifiers, links that would give a person two identifiers of a unique type or more identifiers than allowed. "
                    + "Nothing of them was applied. Newest first (by time); filters combine with AND; kept for QA_IDENTITY_AUDIT_RETENTION "
                    + "(30 days by default).")
    public Page<AuditEntry> list(Caller caller,
                                 @Parameter(description = "refusal reason", example = "UNIQUE_TYPE_CONFLICT") @RequestParam(required = false) IdentityRefusal reason,
                                 @Parameter(description = "the linked identifier's ID type, any case", example = "mobile") @RequestParam(required = false) String idType,
                                 @Parameter(description = "time at or after: epoch ms or ISO-8601 with offset", example = "2026-11-01T00:00:00Z")
                                 @RequestParam(required = false) String from,
                                 @Parameter(description = "time before: epoch ms or ISO-8601 with offset", example = "1764547200000")
                                 @RequestParam(required = false) String to,
                                 @Parameter(example = "0") @RequestParam(required = false) Integer page,
                                 @Parameter(example = "20") @RequestParam(required = false) Integer size) {
        IdType type = null;
        if (Params.blankToNull(idType) != null) {
            type = IdType.parse(idType.strip()).orElseThrow(() -> ApiException.field(ProblemCode.BAD_PARAMETER, "idType",
                    "'" + clip(idType) + "' is not an ID type (oneid, mobile, email, open_id, … in any case)"));
        }
        Long fromMs = Params.epochMillis("from", from);
        Long toMs = Params.epochMillis("to", to);
        if (fromMs != null && toMs != null && toMs < fromMs) {
            throw ApiException.field(ProblemCode.BAD_PARAMETER, "to", "must not be before from");
        }
        return audit.list(caller.orgId(), new Filter(reason, type, fromMs, toMs), PageRequest.of(page, size));
    }

    private static String clip(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "…";
    }
}
