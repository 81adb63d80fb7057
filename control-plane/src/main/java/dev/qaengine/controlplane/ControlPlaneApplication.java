package dev.qaengine.controlplane;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The control plane: tenancy, definitions, HTTP ingestion, and the transactional outbox that publishes
 * what the jobs need to {@code qa.control}. It never calls into job code; they share only qa-model.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ControlPlaneApplication {
    public static void main(String[] args) {
        SpringApplication.run(ControlPlaneApplication.class, args);
    }
}
