package dev.qaengine.normalize;

import dev.qaengine.common.FlinkSettings;
import dev.qaengine.common.Settings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Placeholder while the job is written; API is fixed. */
public final class NormalizeJob {
    public static final String NAME = "qa-normalize";
    private final Settings settings;

    public NormalizeJob(Settings settings) {
        this.settings = settings;
    }

    /** Adds the normalization pipeline (sources, operators, sinks) to the environment. */
    public void addTo(StreamExecutionEnvironment env) {
        throw new UnsupportedOperationException("not yet");
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromEnv();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.jobConfiguration(settings));
        new NormalizeJob(settings).addTo(env);
        env.execute(NAME);
    }
}
