package dev.qaengine.controlplane.channel;

import dev.qaengine.model.ChannelInterfaceType;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A channel interface as stored.
 *
 * @param secrets secret name → SecretBox value (sealed); never leaves the service except sealed, on qa.control
 */
public record StoredInterface(String id, String orgId, String workspaceId, ChannelInterfaceType type, String name, boolean enabled,
                              InterfaceSettings settings, Map<String, String> secrets, OffsetDateTime createdAt,
                              OffsetDateTime updatedAt) {

    public <S extends InterfaceSettings> S settings(Class<S> type) {
        return type.cast(settings);
    }

    public boolean hasSecret(String name) {
        return secrets.containsKey(name);
    }
}
