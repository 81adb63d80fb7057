package dev.qaengine.local;

import dev.qaengine.common.Settings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Flink job of the engine as the local stack runs it: a name (the job's name in the dashboard) and
 * the code that adds its pipeline to an environment built from the job's settings.
 */
public record FlinkJob(String name, Pipeline pipeline) {

    @FunctionalInterface
    public interface Pipeline {
        void addTo(Settings settings, StreamExecutionEnvironment env) throws Exception;
    }
}
