package dev.qaengine.controlplane.tenancy;

/**
 * Who is calling: the API key of the request and the workspace and organization it belongs to. Every
 * read and write is scoped by these ids, taken from the key, never from the request.
 *
 * @param platformAdmin whether the key may manage organizations (the bootstrap key only)
 */
public record Caller(String keyId, String keyPrefix, Role role, boolean platformAdmin, String workspaceId, String orgId) {
}
