package dev.qaengine.controlplane.engine;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;

/**
 * Maps the engine's {@code QA_*} variables onto {@code qa.engine.*} from a properties file of its own, so
 * that this capability's settings live beside its code (application.yml keeps the rest).
 */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:qa-engine.properties")
public class EngineConfig {
}
