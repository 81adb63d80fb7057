package dev.qaengine.model.journey;

/**
 * A journey's lifecycle (SEMANTICS.md § Journeys, product docs L9320-9420). INCOMPLETE: saved, but a branch
 * does not end in an action or END yet (cannot start). NOT_STARTED: complete, never started; like
 * INCOMPLETE it may still be edited. PENDING: starting (until the engine acknowledges its plan) or queued
 * by the organization's running limit. RUNNING, PAUSED (audience journeys), STOPPED (final), FINISHED, FAILED.
 */
public enum JourneyStatus {
    INCOMPLETE, NOT_STARTED, PENDING, RUNNING, PAUSED, STOPPED, FINISHED, FAILED;

    /** Only a journey that has not been started may be edited. */
    public boolean editable() {
        return this == INCOMPLETE || this == NOT_STARTED;
    }

    /** A journey the engine runs or is about to run cannot be deleted. */
    public boolean deletable() {
        return this != PENDING && this != RUNNING;
    }
}
