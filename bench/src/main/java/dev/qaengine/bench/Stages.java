package dev.qaengine.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The stages the harness knows, by command-line name. */
public final class Stages {
    private static final Map<String, Supplier<Stage>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("normalize", NormalizeStage::new);
        ALL.put("identity", IdentityStage::new);
        ALL.put("journeys", JourneysStage::new);
        ALL.put("journeys-floor", JourneysFloorStage::new);
    }

    private Stages() {
    }

    public static Stage byName(String name) {
        Supplier<Stage> s = ALL.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown stage '" + name + "'; known: " + String.join(", ", ALL.keySet()));
        }
        return s.get();
    }

    public static Iterable<String> names() {
        return ALL.keySet();
    }
}
