package dev.qaengine.controlplane.support;

import dev.qaengine.controlplane.channel.InterfaceUsage;
import dev.qaengine.controlplane.template.TemplateRepository;
import dev.qaengine.controlplane.template.TemplateUsage;
import org.springframework.boot.test.context.TestComponent;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Marks an interface or template as used without a journey that uses it (journey.JourneyApiTest has the real ones). */
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
