package dev.qaengine.controlplane.template;

import dev.qaengine.controlplane.channel.InterfaceUsage;
import dev.qaengine.controlplane.template.TemplateRepository.Kind;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/** A platform with signatures or templates is in use: they were registered with it and are known there by their codes. */
@Component
public class PlatformUsage implements InterfaceUsage {
    private final TemplateRepository repository;

    public PlatformUsage(TemplateRepository repository) {
        this.repository = repository;
    }

    @Override
    public List<String> usersOfInterface(String orgId, String interfaceId) {
        List<String> out = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            repository.namesOnPlatform(kind, interfaceId).forEach(n -> out.add(kind.label() + " '" + n + "'"));
        }
        return out;
    }
}
