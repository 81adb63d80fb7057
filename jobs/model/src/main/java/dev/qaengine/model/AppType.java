package dev.qaengine.model;

/** The application type of an event channel (SEMANTICS.md § Events). */
public enum AppType {
    APP, MINI_PROGRAM, WEB, THIRD_PARTY
}
