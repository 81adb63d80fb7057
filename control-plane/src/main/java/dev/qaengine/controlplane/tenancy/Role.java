package dev.qaengine.controlplane.tenancy;

/**
 * What an API key may do, each role including the ones below it: ANALYST reads, DEVELOPER also writes
 * definitions and interfaces and ingests, ADMIN also manages workspaces and API keys.
 */
public enum Role {
    ANALYST, DEVELOPER, ADMIN;

    public boolean includes(Role required) {
        return compareTo(required) >= 0;
    }
}
