package dev.qaengine.normalize;

/** An organization's event catalog as held in broadcast state: its version and its JSON (Flink POJO). */
public final class CatalogState {
    public long version;
    public String json;

    public CatalogState() {
    }

    public CatalogState(long version, String json) {
        this.version = version;
        this.json = json;
    }
}
