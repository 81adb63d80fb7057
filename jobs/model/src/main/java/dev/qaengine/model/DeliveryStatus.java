package dev.qaengine.model;

/**
 * The outcome of one delivery to one person, as journeys branch on it (RESULT_BRANCH: SUCCESS / FAILURE;
 * no result at all is OTHER, which is the absence of a value, not a value).
 */
public enum DeliveryStatus {
    SUCCESS, FAILURE
}
