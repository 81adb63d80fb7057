package dev.qaengine.local;

import dev.qaengine.identity.IdentityJob;
import dev.qaengine.journeys.JourneysJob;
import dev.qaengine.normalize.NormalizeJob;

import java.util.List;

/**
 * Every Flink job the local stack runs, in submission order. A new job is one more line here (and its
 * module as a dependency of qa-local); all of them share the one local cluster's task slots.
 */
public final class LocalJobs {
    public static final List<FlinkJob> ALL = List.of(
            new FlinkJob(NormalizeJob.NAME, (settings, env) -> new NormalizeJob(settings).addTo(env)),
            new FlinkJob(IdentityJob.NAME, (settings, env) -> new IdentityJob(settings).addTo(env)),
            new FlinkJob(JourneysJob.NAME, (settings, env) -> new JourneysJob(settings).addTo(env)));

    private LocalJobs() {
    }
}
