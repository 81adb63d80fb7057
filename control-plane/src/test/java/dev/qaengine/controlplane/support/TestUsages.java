package dev.qaengine.controlplane.support;

import dev.qaengine.controlplane.channel.InterfaceUsage;
import org.springframework.boot.test.context.TestComponent;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Stands in for journeys using channel interfaces until journeys exist: a test marks an interface as used. */
@TestComponent
public class TestUsages implements InterfaceUsage {
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
}
