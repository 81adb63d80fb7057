package dev.qaengine.identity;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeCacheTest {
    private final Map<String, Node> written = new LinkedHashMap<>();
    private final NodeCache.Writer writer = written::put;

    private static Node node(long clock) {
        Node n = new Node();
        n.clock = clock;
        return n;
    }

    @Test
    void aChangedNodeIsWrittenOnceAtTheFlushHoweverOftenItChanged() {
        NodeCache cache = new NodeCache(10);
        cache.loaded("a", null);
        cache.changed("a", node(1));
        cache.changed("a", node(2));
        cache.changed("b", node(3));
        assertThat(written).isEmpty();
        assertThat(cache.flush(writer)).isEqualTo(2);
        assertThat(written.keySet()).containsExactly("a", "b");
        assertThat(written.get("a").clock).isEqualTo(2);
        // still cached, clean: the next flush writes nothing
        assertThat(cache.get("a").node.clock).isEqualTo(2);
        assertThat(cache.flush(writer)).isZero();
        assertThat(cache.hasChanges()).isFalse();
    }

    @Test
    void evictsTheLeastRecentlyUsedAndWritesOnlyWhatChanged() {
        NodeCache cache = new NodeCache(2);
        cache.loaded("a", node(1));
        cache.changed("b", node(2));
        cache.loaded("c", node(3));
        cache.get("a"); // a is used again: b is now the least recently used
        cache.changed("d", null); // a cleared node is a change too
        assertThat(cache.trim(writer)).isEqualTo(1);
        assertThat(written.keySet()).containsExactly("b");
        assertThat(cache.keys()).containsExactly("a", "d");
        assertThat(cache.get("b")).isNull();
        List<String> flushed = new ArrayList<>();
        cache.flush((k, n) -> flushed.add(k + "=" + n));
        assertThat(flushed).containsExactly("d=null");
    }

    @Test
    void anAbsentNodeIsRemembered() {
        NodeCache cache = new NodeCache(1);
        assertThat(cache.get("x")).isNull();
        cache.loaded("x", null);
        assertThat(cache.get("x")).isNotNull().satisfies(e -> assertThat(e.node).isNull());
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
        assertThatThrownBy(() -> new NodeCache(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
