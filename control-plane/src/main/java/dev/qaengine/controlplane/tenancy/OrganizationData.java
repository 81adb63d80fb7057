package dev.qaengine.controlplane.tenancy;

/**
 * A kind of data an organization owns beyond its tenancy rows (settings, keys, interfaces, templates).
 * Deleting an organization asks every implementation, in {@code @Order}, to delete its rows and publish the
 * tombstones the engine needs — in the deleting transaction, which holds the organization's lock.
 * Dependents order before what they depend on (templates before the interfaces they belong to).
 */
public interface OrganizationData {
    void deleteOrganizationData(String orgId);
}
