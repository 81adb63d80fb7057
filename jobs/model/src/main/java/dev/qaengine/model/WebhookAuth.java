package dev.qaengine.model;

/** How a webhook's requests are signed (CONTRACTS.md §3): not at all (empty signature header) or with its secret. */
public enum WebhookAuth {
    NONE, SECRET
}
