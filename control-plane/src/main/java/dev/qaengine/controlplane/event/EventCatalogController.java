package dev.qaengine.controlplane.event;

import dev.qaengine.controlplane.event.EventBodies.Channel;
import dev.qaengine.controlplane.event.EventBodies.ChannelCreate;
import dev.qaengine.controlplane.event.EventBodies.ChannelUpdate;
import dev.qaengine.controlplane.event.EventBodies.EventDefinition;
import dev.qaengine.controlplane.event.EventBodies.EventDefinitionCreate;
import dev.qaengine.controlplane.event.EventBodies.EventDefinitionUpdate;
import dev.qaengine.controlplane.event.EventCatalogRepository.ChannelFilter;
import dev.qaengine.controlplane.event.EventCatalogRepository.EventFilter;
import dev.qaengine.controlplane.tenancy.Access;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.tenancy.Role;
import dev.qaengine.controlplane.web.Page;
import dev.qaengine.controlplane.web.PageRequest;
import dev.qaengine.controlplane.web.Params;
import dev.qaengine.model.AppType;
import dev.qaengine.model.EventCatalog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Event channels and event definitions of the caller's organization (organization-level: event
 * messages carry only the org id, so every workspace of an org sees the same definitions).
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Events", description = "Event channels (APP_KEY) and event definitions with typed attributes")
public class EventCatalogController {
    private static final String CHANNEL_EXAMPLE = """
            {"appKey":"eventsource001","name":"Shop app","appType":"APP",
             "globalAttributes":[{"id":"app_version","name":"App version","type":"TEXT"}]}""";
    private static final String EVENT_EXAMPLE = """
            {"eventCode":"add_to_cart","name":"Add to cart","channel":"eventsource001",
             "attributes":[{"id":"sku","name":"SKU","type":"TEXT"},{"id":"price","name":"Price","type":"NUMBER"}]}""";

    private final EventCatalogService catalog;

    public EventCatalogController(EventCatalogService catalog) {
        this.catalog = catalog;
    }

    // --- channels

    @GetMapping("/event-channels")
    @Access(Role.ANALYST)
    @Operation(summary = "List event channels", description = "Ordered by appKey; filters combine with AND.")
    public Page<Channel> channels(Caller caller,
                                  @Parameter(description = "exact APP_KEY", example = "eventsource001") @RequestParam(required = false) String appKey,
                                  @Parameter(description = "app type", example = "APP") @RequestParam(required = false) AppType appType,
                                  @Parameter(description = "name contains (case-insensitive)", example = "shop") @RequestParam(required = false) String name,
                                  @Parameter(example = "0") @RequestParam(required = false) Integer page,
                                  @Parameter(example = "20") @RequestParam(required = false) Integer size) {
        return catalog.listChannels(caller.orgId(), new ChannelFilter(Params.blankToNull(appKey), appType, Params.blankToNull(name)), PageRequest.of(page, size));
    }

    @GetMapping("/event-channels/{appKey}")
    @Access(Role.ANALYST)
    @Operation(summary = "Get an event channel")
    public Channel channel(Caller caller, @PathVariable String appKey) {
        return catalog.getChannel(caller.orgId(), appKey);
    }

    @PostMapping(path = "/event-channels", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Create an event channel",
            description = "customerIdType: the ID type of the customerId the channel's events carry, any case (absent = ONEID). "
                    + "Publishes the organization's catalog to qa.control.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    examples = @ExampleObject(value = CHANNEL_EXAMPLE))))
    public Channel createChannel(Caller caller, @Valid @RequestBody ChannelCreate body) {
        return catalog.createChannel(caller.orgId(), body);
    }

    @PutMapping(path = "/event-channels/{appKey}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Replace an event channel",
            description = "The appKey cannot change. Global attributes may be added or renamed, never removed or retyped (409). "
                    + "customerIdType may change (it applies to events resolved from then on); absent = ONEID.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    examples = @ExampleObject(value = """
                            {"name":"Shop app","appType":"APP","customerIdType":"oneid","globalAttributes":[{"id":"app_version","name":"Version","type":"TEXT"},
                             {"id":"os","name":"OS","type":"TEXT"}]}"""))))
    public Channel updateChannel(Caller caller, @PathVariable String appKey, @Valid @RequestBody ChannelUpdate body) {
        return catalog.updateChannel(caller.orgId(), appKey, body);
    }

    @DeleteMapping("/event-channels/{appKey}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Delete an event channel", description = "Refused (409 in-use) while event definitions use it.")
    public void deleteChannel(Caller caller, @PathVariable String appKey) {
        catalog.deleteChannel(caller.orgId(), appKey);
    }

    // --- event definitions

    @GetMapping("/event-definitions")
    @Access(Role.ANALYST)
    @Operation(summary = "List event definitions", description = "Ordered by eventCode; filters combine with AND.")
    public Page<EventDefinition> events(Caller caller,
                                        @Parameter(description = "exact event code", example = "add_to_cart") @RequestParam(required = false) String eventCode,
                                        @Parameter(description = "channel APP_KEY", example = "eventsource001") @RequestParam(required = false) String appKey,
                                        @Parameter(description = "name contains (case-insensitive)", example = "cart") @RequestParam(required = false) String name,
                                        @Parameter(example = "0") @RequestParam(required = false) Integer page,
                                        @Parameter(example = "20") @RequestParam(required = false) Integer size) {
        return catalog.listEvents(caller.orgId(), new EventFilter(Params.blankToNull(eventCode), Params.blankToNull(appKey), Params.blankToNull(name)), PageRequest.of(page, size));
    }

    @GetMapping("/event-definitions/{eventCode}")
    @Access(Role.ANALYST)
    @Operation(summary = "Get an event definition")
    public EventDefinition event(Caller caller, @PathVariable String eventCode) {
        return catalog.getEvent(caller.orgId(), eventCode);
    }

    @PostMapping(path = "/event-definitions", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Create an event definition", description = "Publishes the organization's catalog to qa.control.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    examples = @ExampleObject(value = EVENT_EXAMPLE))))
    public EventDefinition createEvent(Caller caller, @Valid @RequestBody EventDefinitionCreate body) {
        return catalog.createEvent(caller.orgId(), body);
    }

    @PutMapping(path = "/event-definitions/{eventCode}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Replace an event definition",
            description = "The eventCode cannot change. Attributes may be added or renamed, never removed or retyped (409).",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    examples = @ExampleObject(value = """
                            {"name":"Add to cart","channel":"eventsource001","attributes":[{"id":"sku","name":"SKU","type":"TEXT"},
                             {"id":"price","name":"Unit price","type":"NUMBER"},{"id":"qty","name":"Quantity","type":"NUMBER"}]}"""))))
    public EventDefinition updateEvent(Caller caller, @PathVariable String eventCode, @Valid @RequestBody EventDefinitionUpdate body) {
        return catalog.updateEvent(caller.orgId(), eventCode, body);
    }

    @DeleteMapping("/event-definitions/{eventCode}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Delete an event definition", description = "Refused (409 in-use) while a journey uses it.")
    public void deleteEvent(Caller caller, @PathVariable String eventCode) {
        catalog.deleteEvent(caller.orgId(), eventCode);
    }

    @GetMapping("/event-catalog")
    @Access(Role.ANALYST)
    @Operation(summary = "The organization's event catalog as the engine receives it",
            description = "The payload of the EVENT_CATALOG control record published to qa.control (state-schemas/event-catalog-v1).")
    public EventCatalog eventCatalog(Caller caller) {
        return catalog.catalog(caller.orgId());
    }
}
