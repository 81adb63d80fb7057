package dev.qaengine.controlplane.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Periodic work: the review status poll of templates and signatures, the purge of old receipt nonces, the
 * retention of the identity audit.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class SchedulingConfig {
}
