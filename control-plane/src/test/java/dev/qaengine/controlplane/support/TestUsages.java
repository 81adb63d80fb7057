package dev.qaengine.controlplane.support;

import dev.qaengine.controlplane.channel.InterfaceUsage;
import dev.qaengine.controlplane.template.TemplateRepository;
import dev.qaengine.controlplane.template.TemplateUsage;
import org.springframework.boot.test.context.TestComponent;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Stands in for journeys using interfaces and templates until journeys exist: a test marks one as used. */
@TestComponent
public class TestUsages implements InterfaceUsage, TemplateUsage {
    private final Map<String, List<String>> users = new ConcurrentHashMap<>();

    public void use(String interfaceId, String user) {
        users.put(interfaceId, List.of(user));
    }

    public void release(String interfaceId) {
        users.remove(interfaceId);
    }

    @Override
    public List<String> usersOfInterface(String orgId, String interfaceId) {
        return users.getOrDefault(interfaceId, List.of());
    }

    @Override
    public List<String> usersOf(String orgId, TemplateRepository.Kind kind, String id) {
        return users.getOrDefault(id, List.of());
    }
}
