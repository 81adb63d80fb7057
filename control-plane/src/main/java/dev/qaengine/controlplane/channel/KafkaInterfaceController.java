package dev.qaengine.controlplane.channel;

import dev.qaengine.controlplane.channel.ChannelBodies.KafkaInterface;
import dev.qaengine.controlplane.channel.ChannelBodies.KafkaInterfaceBody;
import dev.qaengine.controlplane.channel.ChannelInterfaceService.Draft;
import dev.qaengine.controlplane.tenancy.Access;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.tenancy.Role;
import dev.qaengine.controlplane.web.Page;
import dev.qaengine.controlplane.web.PageRequest;
import dev.qaengine.model.ChannelInterfaceType;
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

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Kafka interfaces of the caller's workspace (CONTRACTS.md §5): where audience pushes and KAFKA_PUSH nodes write. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Channel interfaces")
public class KafkaInterfaceController {
    private static final String EXAMPLE = """
            {"name":"Audience export","bootstrapServers":"kafka-1.example.com:9093,kafka-2.example.com:9093","topic":"qa.audience.push",
             "sasl":{"mechanism":"SCRAM-SHA-512","username":"qa-export","password":"s3cret"},"tls":true}""";

    private final ChannelInterfaceService interfaces;

    public KafkaInterfaceController(ChannelInterfaceService interfaces) {
        this.interfaces = interfaces;
    }

    @GetMapping("/kafka-interfaces")
    @Access(Role.ANALYST)
    @Operation(summary = "List Kafka interfaces", description = "Ordered by name.")
    public Page<KafkaInterface> kafkaInterfaces(Caller caller,
                                                @Parameter(description = "name contains (case-insensitive)", example = "export") @RequestParam(required = false) String name,
                                                @Parameter(example = "0") @RequestParam(required = false) Integer page,
                                                @Parameter(example = "20") @RequestParam(required = false) Integer size) {
        return interfaces.list(caller, ChannelInterfaceType.KAFKA, ChannelInterfaceRepository.Filter.of(name, null, null),
                PageRequest.of(page, size)).map(KafkaInterfaceController::view);
    }

    @GetMapping("/kafka-interfaces/{id}")
    @Access(Role.ANALYST)
    @Operation(summary = "Get a Kafka interface", description = "The SASL password is never shown: sasl.passwordSet says whether one is set.")
    public KafkaInterface kafkaInterface(Caller caller, @PathVariable String id) {
        return view(interfaces.get(caller, ChannelInterfaceType.KAFKA, id));
    }

    @PostMapping(path = "/kafka-interfaces", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Create a Kafka interface",
            description = "bootstrapServers host:port[,…], a legal topic name, optional SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 with username "
                    + "and password, write-only) and TLS. Publishes CHANNEL_INTERFACE to qa.control, with the password sealed.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = EXAMPLE))))
    public KafkaInterface create(Caller caller, @Valid @RequestBody KafkaInterfaceBody body) {
        InterfaceSettings.Kafka settings = settings(body, null);
        Map<String, String> secrets = new HashMap<>();
        if (body.sasl() != null) {
            secrets.put(InterfaceWire.KAFKA_SASL_PASSWORD, body.sasl().password());
        }
        return view(interfaces.create(caller, body.name(), settings, secrets));
    }

    @PutMapping(path = "/kafka-interfaces/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Replace a Kafka interface", description = "Without sasl.password the current one is kept; without sasl, SASL is off.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = """
                    {"name":"Audience export","bootstrapServers":"kafka-1.example.com:9093","topic":"qa.audience.push",
                     "sasl":{"mechanism":"SCRAM-SHA-512","username":"qa-export"},"tls":true}"""))))
    public KafkaInterface update(Caller caller, @PathVariable String id, @Valid @RequestBody KafkaInterfaceBody body) {
        return view(interfaces.update(caller, ChannelInterfaceType.KAFKA, id, old -> {
            InterfaceSettings.Kafka settings = settings(body, old);
            Map<String, String> changes = new HashMap<>();
            if (body.sasl() != null && body.sasl().password() != null) {
                changes.put(InterfaceWire.KAFKA_SASL_PASSWORD, body.sasl().password());
            }
            List<String> keep = body.sasl() == null ? List.of() : List.of(InterfaceWire.KAFKA_SASL_PASSWORD);
            return new Draft(body.name(), settings, interfaces.mergeSecrets(old, changes, keep));
        }));
    }

    @DeleteMapping("/kafka-interfaces/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(Role.DEVELOPER)
    @Operation(summary = "Delete a Kafka interface", description = "Refused (409 in-use) while journeys use it.")
    public void delete(Caller caller, @PathVariable String id) {
        interfaces.delete(caller, ChannelInterfaceType.KAFKA, id);
    }

    private static InterfaceSettings.Kafka settings(KafkaInterfaceBody body, StoredInterface old) {
        String servers = Checks.bootstrapServers("bootstrapServers", body.bootstrapServers());
        String topic = Checks.topic("topic", body.topic());
        InterfaceSettings.Sasl sasl = null;
        if (body.sasl() != null) {
            boolean hadPassword = old != null && old.hasSecret(InterfaceWire.KAFKA_SASL_PASSWORD);
            if (body.sasl().password() == null && !hadPassword) {
                throw Checks.invalid("sasl.password", "is required with SASL");
            }
            if (body.sasl().password() != null && body.sasl().password().isBlank()) {
                throw Checks.invalid("sasl.password", "must not be blank");
            }
            sasl = new InterfaceSettings.Sasl(body.sasl().mechanism(), body.sasl().username().strip());
        }
        return new InterfaceSettings.Kafka(servers, topic, sasl, Boolean.TRUE.equals(body.tls()));
    }

    static KafkaInterface view(StoredInterface i) {
        InterfaceSettings.Kafka k = i.settings(InterfaceSettings.Kafka.class);
        ChannelBodies.Sasl sasl = k.sasl() == null ? null
                : new ChannelBodies.Sasl(k.sasl().mechanism(), k.sasl().username(), i.hasSecret(InterfaceWire.KAFKA_SASL_PASSWORD));
        return new KafkaInterface(i.id(), i.name(), k.bootstrapServers(), k.topic(), sasl, k.tls(), i.createdAt(), i.updatedAt());
    }
}
