package dev.qaengine.model;

/** The data type of an event attribute: TEXT (string) or NUMBER (decimal). */
public enum AttributeType {
    TEXT, NUMBER
}
