package dev.qaengine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Loads the schemas of state-schemas/ (copied onto the test classpath) and checks documents against
 * them; $ref between schemas resolves locally, never over the network. Shared with other modules'
 * tests through this module's test-jar.
 */
public final class Schemas {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.schemaMappers(m -> m.mapPrefix("https://qaengine.dev/schemas/", "classpath:state-schemas/")));

    private Schemas() {
    }

    public static JsonSchema load(String file) {
        return FACTORY.getSchema(com.networknt.schema.SchemaLocation.of("https://qaengine.dev/schemas/" + file));
    }

    /** The violations of {@code doc} against the schema, as readable lines; empty when valid. */
    public static Set<String> violations(String file, JsonNode doc) {
        return load(file).validate(doc).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }
}
