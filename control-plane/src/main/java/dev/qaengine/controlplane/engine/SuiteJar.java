package dev.qaengine.controlplane.engine;

import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.ProblemCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * The suite's fat jar (jobs/dist, {@code qa-jobs-*.jar}) and the jobs it holds, read from its manifest
 * attribute {@code Qa-Jobs: name=main.Class,...}: the jar says which jobs it can run, so the control plane
 * needs no list of its own (it never depends on job code).
 */
public final class SuiteJar {
    public static final String MANIFEST_ATTRIBUTE = "Qa-Jobs";

    /** A job of the suite: its Flink job name and main class. */
    public record Job(String name, String mainClass) {
    }

    private SuiteJar() {
    }

    /** The configured jar, which must exist. */
    public static Path require(QaProperties.Engine properties) {
        if (properties.jobsJar() == null || properties.jobsJar().isBlank()) {
            throw new ApiException(ProblemCode.JOBS_JAR_MISSING, "no jobs jar is configured: set QA_JOBS_JAR to the suite's "
                    + "qa-jobs-*.jar (./mvnw -pl jobs/dist -am package builds it in jobs/dist/target)");
        }
        Path jar = Path.of(properties.jobsJar().strip());
        if (!Files.isRegularFile(jar)) {
            throw new ApiException(ProblemCode.JOBS_JAR_MISSING, "the jobs jar " + jar + " (QA_JOBS_JAR) does not exist");
        }
        return jar;
    }

    public static List<Job> jobs(Path jar) {
        try (JarFile f = new JarFile(jar.toFile())) {
            String value = f.getManifest() == null ? null : f.getManifest().getMainAttributes().getValue(MANIFEST_ATTRIBUTE);
            return parse(value);
        } catch (IOException e) {
            throw new ApiException(ProblemCode.JOBS_JAR_MISSING, "cannot read the jobs jar " + jar + ": " + e.getMessage(), e);
        }
    }

    static List<Job> parse(String value) {
        List<Job> jobs = new ArrayList<>();
        if (value == null) {
            return jobs;
        }
        for (String entry : value.split(",")) {
            int eq = entry.indexOf('=');
            if (eq > 0 && eq < entry.length() - 1) {
                jobs.add(new Job(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip()));
            }
        }
        return jobs;
    }
}
