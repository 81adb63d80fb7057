package dev.qaengine.model;

/** What a control record carries. Later stages add their kinds (journey plans, settings). */
public enum ControlKind {
    /** An {@link EventCatalog}; the subject is the org id. */
    EVENT_CATALOG
}
