package dev.qaengine.controlplane.ingest;

import dev.qaengine.controlplane.tenancy.Access;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.tenancy.Role;
import dev.qaengine.model.EventMessageV1;
import dev.qaengine.model.IdentityMessageV1;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * HTTP ingestion of the product's v1 messages (CONTRACTS.md §1-2). The body is read raw and checked by
 * hand rather than bound to a type: SDKs send loose JSON (ids as numbers, times as strings) and every
 * error must name the message and field in the documented answer shape.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Ingestion", description = "Event and identity messages v1 into qa.events.raw / qa.identities.raw")
public class IngestController {
    private static final String EVENTS_EXAMPLE = """
            [{"orgnizationId":"56621289-820e-433a-9947-000000000000","customerId":"customer001",
              "eventSourceCode":"eventsource001","eventCode":"add_to_cart","eventTime":1625126360471,
              "extendAttributes":{"sku":"A-1001","price":"129.00"},"v":1}]""";
    private static final String IDENTITIES_EXAMPLE = """
            [{"orgnizationId":"56621289-820e-433a-9947-000000000000","customerId":"customer001",
              "customerIdList":[{"customerId":"13888888888","idMapping":"mobile"},{"customerId":"o6_bmjrPTlm6_2sgVt7hMZOPfL2M","idMapping":"open_id"}],
              "v":1}]""";
    private static final String OK = "{\"success\":true,\"errorCode\":null,\"errorDesc\":null,\"traceId\":\"9f1c2d3e4b5a69788796a5b4c3d2e1f0\"}";
    private static final String BAD = """
            {"success":false,"errorCode":"MISSING_FIELD","errorDesc":"[1].customerId: is required",
             "traceId":"9f1c2d3e4b5a69788796a5b4c3d2e1f0"}""";

    private final IngestService ingest;

    public IngestController(IngestService ingest) {
        this.ingest = ingest;
    }

    @PostMapping(path = "/events", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Report events (event message v1)",
            description = "One message object or an array of at most 100. orgnizationId (or organizationId) must be the API key's "
                    + "organization or absent (then it is filled in). Each message becomes one record on qa.events.raw keyed "
                    + "'<org>|<customerId>'. 200 means Kafka acknowledged every record (acks=all); one invalid message rejects the "
                    + "call and nothing is written. Body limit 1 MiB (413).",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    array = @ArraySchema(schema = @Schema(implementation = EventMessageV1.class), maxItems = 100),
                    examples = @ExampleObject(name = "batch", value = EVENTS_EXAMPLE))),
            responses = {
                    @ApiResponse(responseCode = "200", description = "written", content = @Content(
                            schema = @Schema(implementation = IngestResponse.class), examples = @ExampleObject(value = OK))),
                    @ApiResponse(responseCode = "400", description = "invalid message (errorCode MALFORMED_JSON, MISSING_FIELD, BAD_FIELD, TOO_LARGE)",
                            content = @Content(schema = @Schema(implementation = IngestResponse.class), examples = @ExampleObject(value = BAD))),
                    @ApiResponse(responseCode = "403", description = "ORG_MISMATCH, or FORBIDDEN (role)",
                            content = @Content(schema = @Schema(implementation = IngestResponse.class))),
                    @ApiResponse(responseCode = "413", description = "TOO_LARGE: body above the limit",
                            content = @Content(schema = @Schema(implementation = IngestResponse.class))),
                    @ApiResponse(responseCode = "503", description = "UNAVAILABLE: Kafka did not acknowledge in time; retry",
                            content = @Content(schema = @Schema(implementation = IngestResponse.class)))})
    public ResponseEntity<IngestResponse> events(Caller caller, @RequestBody byte[] body) {
        IngestService.Result r = ingest.events(caller.orgId(), body);
        return ResponseEntity.status(r.status()).contentType(MediaType.APPLICATION_JSON).body(r.body());
    }

    @PostMapping(path = "/identities", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Report identities (identity message v1)",
            description = "One message object or an array of at most 100: a customerId and the identifiers that belong to it "
                    + "(customerIdList of {customerId, idMapping}; idMapping one of oneid, email, mobile, taobao_id, taobao_nick, imei, "
                    + "idfa, mac_org, weibo_id_org, alipay_id, open_id, union_id, imsi, oaid, any case — written lower-case). "
                    + "Records go to qa.identities.raw keyed '<org>|<customerId>'. Same answers as /events.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    array = @ArraySchema(schema = @Schema(implementation = IdentityMessageV1.class), maxItems = 100),
                    examples = @ExampleObject(name = "batch", value = IDENTITIES_EXAMPLE))),
            responses = {
                    @ApiResponse(responseCode = "200", description = "written", content = @Content(
                            schema = @Schema(implementation = IngestResponse.class), examples = @ExampleObject(value = OK))),
                    @ApiResponse(responseCode = "400", description = "invalid message",
                            content = @Content(schema = @Schema(implementation = IngestResponse.class))),
                    @ApiResponse(responseCode = "503", description = "UNAVAILABLE",
                            content = @Content(schema = @Schema(implementation = IngestResponse.class)))})
    public ResponseEntity<IngestResponse> identities(Caller caller, @RequestBody byte[] body) {
        IngestService.Result r = ingest.identities(caller.orgId(), body);
        return ResponseEntity.status(r.status()).contentType(MediaType.APPLICATION_JSON).body(r.body());
    }
}
