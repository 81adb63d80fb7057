package dev.qaengine.model.journey;

/** What starts a journey for a person: an event the person performs, or membership of a stored audience. */
public enum TriggerType {
    EVENT, AUDIENCE
}
