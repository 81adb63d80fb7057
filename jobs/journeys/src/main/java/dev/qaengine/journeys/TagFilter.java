package dev.qaengine.journeys;

import java.util.Map;

/**
 * A TAG_BRANCH branch's filter on the person's tags: {@code tag} — the person has the tag (a non-empty
 * value) — or {@code tag=value} — the tag has that value. The richer filters of the product's tag screen
 * (issue #8's tag definitions) will compile to these or extend them.
 */
final class TagFilter {
    private TagFilter() {
    }

    static String tagId(String filter) {
        int eq = filter.indexOf('=');
        return eq < 0 ? filter : filter.substring(0, eq);
    }

    static boolean matches(String filter, Map<String, String> tags) {
        int eq = filter.indexOf('=');
        String value = tags.get(eq < 0 ? filter : filter.substring(0, eq));
        if (value == null || value.isEmpty()) {
            return false;
        }
        return eq < 0 || value.equals(filter.substring(eq + 1));
    }
}
