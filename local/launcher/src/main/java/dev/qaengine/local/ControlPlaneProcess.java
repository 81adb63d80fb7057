package dev.qaengine.local;

import dev.qaengine.common.Settings;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The control plane (Spring Boot, control-plane/) as a child process of the local stack:
 * {@code java -jar control-plane/target/qa-control-plane-*.jar} in a JVM of its own, so that its Boot and
 * Jackson 3 classpath never meets Flink's. The stack passes it the broker, the database, the port and a
 * bootstrap admin key through the same {@code QA_*} variables a deployment sets; its console output goes
 * to a log file. {@link #close()} stops it with SIGTERM (Spring's graceful shutdown), then forcibly.
 */
public final class ControlPlaneProcess implements AutoCloseable {
    /** Where the stack keeps the generated admin key, so that every start prints a key that works. */
    static final String KEY_FILE = "admin-key";
    static final String PID_FILE = "pid";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Process process;
    private final Config config;
    private final String adminKey;
    private final ControlPlaneClient client;

    /**
     * How to run it.
     *
     * @param jar         the Boot jar ({@code QA_CONTROL_PLANE_JAR}; found under control-plane/target when absent)
     * @param port        HTTP port ({@code QA_CONTROL_PLANE_PORT}, 8080)
     * @param bindAddress where it listens ({@code QA_CONTROL_PLANE_BIND_ADDRESS}, 127.0.0.1)
     * @param dir         its data: the H2 file, the admin key, the pid ({@code <QA_DATA_DIR>/control-plane})
     * @param logFile     its console output, appended
     * @param dbUrl       {@code QA_DB_URL}; the H2 file under {@code dir} when absent
     * @param adminKey    {@code QA_BOOTSTRAP_ADMIN_KEY}; else the key in {@code dir/admin-key}, generated at first start
     * @param orgId       {@code QA_BOOTSTRAP_ORG_ID}, the id of the organization created at first start ({@code local-org})
     * @param javaOptions {@code QA_CONTROL_PLANE_JAVA_OPTS} ({@code -Xmx512m})
     * @param env         more environment for the process (overrides), e.g. {@code QA_FLINK_REST_URL}
     */
    public record Config(Optional<Path> jar, int port, String bindAddress, Path dir, Path logFile, Optional<String> dbUrl,
                         Optional<String> adminKey, String orgId, List<String> javaOptions, Map<String, String> env) {

        public static Config from(Settings s, StackConfig stack) {
            return new Config(
                    s.get("QA_CONTROL_PLANE_JAR").map(Path::of),
                    s.integer("QA_CONTROL_PLANE_PORT", 8080),
                    s.string("QA_CONTROL_PLANE_BIND_ADDRESS", StackConfig.HOST),
                    stack.dataDir().resolve("control-plane"),
                    stack.logsDir().resolve("control-plane.log"),
                    stack.dbUrl(),
                    s.get("QA_BOOTSTRAP_ADMIN_KEY"),
                    s.string("QA_BOOTSTRAP_ORG_ID", "local-org"),
                    List.of(s.string("QA_CONTROL_PLANE_JAVA_OPTS", "-Xmx512m").split("\\s+")),
                    Map.of());
        }

        public Config withEnv(Map<String, String> more) {
            Map<String, String> m = new LinkedHashMap<>(env);
            m.putAll(more);
            return new Config(jar, port, bindAddress, dir, logFile, dbUrl, adminKey, orgId, javaOptions, Map.copyOf(m));
        }

        /** The address clients use: loopback unless it listens elsewhere only. */
        public String url() {
            String host = bindAddress.equals("0.0.0.0") || bindAddress.equals("::") ? "localhost" : bindAddress;
            return "http://" + (host.equals(StackConfig.HOST) ? "localhost" : host) + ":" + port;
        }

        public String h2Url() {
            return "jdbc:h2:file:" + dir.resolve("qa").toAbsolutePath() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        }
    }

    private ControlPlaneProcess(Process process, Config config, String adminKey) {
        this.process = process;
        this.config = config;
        this.adminKey = adminKey;
        this.client = new ControlPlaneClient(config.url(), adminKey);
    }

    /**
     * Starts the process and returns at once (Spring Boot takes 10-30 s on two busy cores: the stack starts
     * Flink meanwhile); {@link #awaitHealthy} waits for it.
     *
     * @param kafkaBootstrap the broker it publishes to and ingests into
     */
    public static ControlPlaneProcess start(Config config, String kafkaBootstrap) throws IOException {
        Path jar = config.jar().orElseGet(() -> findJar(Path.of("")).orElseThrow(() -> new IllegalStateException(
                "no control-plane/target/qa-control-plane-*.jar under " + Path.of("").toAbsolutePath()
                        + ": build it (./local/run.sh without QA_SKIP_BUILD=1 does) or set QA_CONTROL_PLANE_JAR")));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("QA_CONTROL_PLANE_JAR=" + jar + " is not a file");
        }
        Files.createDirectories(config.dir());
        Files.createDirectories(config.logFile().getParent());
        requirePortFree(config);
        String key = config.adminKey().orElseGet(() -> storedKey(config.dir().resolve(KEY_FILE)));

        List<String> command = new ArrayList<>();
        setsid().ifPresent(command::add);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        config.javaOptions().stream().filter(o -> !o.isBlank()).forEach(command::add);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(config.dir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(config.logFile().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File(File.separatorChar == '/' ? "/dev/null" : "NUL")));
        Map<String, String> env = pb.environment();
        env.put("QA_KAFKA_BOOTSTRAP", kafkaBootstrap);
        env.put("QA_CONTROL_PLANE_PORT", String.valueOf(config.port()));
        env.put("SERVER_ADDRESS", config.bindAddress());
        env.put("QA_DB_URL", config.dbUrl().orElse(config.h2Url()));
        env.put("QA_BOOTSTRAP_ADMIN_KEY", key);
        env.put("QA_BOOTSTRAP_ORG_ID", config.orgId());
        env.putAll(config.env());
        Files.writeString(config.logFile(), "%n==== %s: starting the control plane: %s%n".formatted(java.time.Instant.now(), String.join(" ", command)),
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process p = pb.start();
        Files.writeString(config.dir().resolve(PID_FILE), String.valueOf(p.pid()));
        return new ControlPlaneProcess(p, config, key);
    }

    /**
     * The newest {@code qa-control-plane-*.jar} (Spring Boot's executable jar, not {@code *.jar.original}) under
     * {@code <root>/control-plane/target}, looking in the parent dirs too (tests run in local/launcher).
     */
    public static Optional<Path> findJar(Path start) {
        return findBuilt(start, Path.of("control-plane", "target"), "qa-control-plane-");
    }

    /** The suite's fat jar, {@code <root>/jobs/dist/target/qa-jobs-*.jar}, which the control plane submits jobs from. */
    public static Optional<Path> findJobsJar(Path start) {
        return findBuilt(start, Path.of("jobs", "dist", "target"), "qa-jobs-");
    }

    private static Optional<Path> findBuilt(Path start, Path targetDir, String prefix) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path target = dir.resolve(targetDir);
            if (Files.isDirectory(target)) {
                try (Stream<Path> files = Files.list(target)) {
                    Optional<Path> jar = files.filter(f -> {
                                String n = f.getFileName().toString();
                                return n.startsWith(prefix) && n.endsWith(".jar") && !n.endsWith("-sources.jar");
                            })
                            .max(Comparator.comparingLong(f -> f.toFile().lastModified()));
                    if (jar.isPresent()) {
                        return jar;
                    }
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** The key in {@code file}, or a new one written there (readable by the owner only). */
    static String storedKey(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String k = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (k.length() >= 16) {
                    return k;
                }
            }
            byte[] b = new byte[32];
            RANDOM.nextBytes(b);
            String key = "qak_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the data dir's own permissions apply
            }
            return key;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read or write the admin key file " + file, e);
        }
    }

    /** A port in use: say whether an earlier stack's control plane (killed without a clean stop) still holds it. */
    private static void requirePortFree(Config config) {
        String hint = "Set QA_CONTROL_PLANE_PORT to another port.";
        Path pidFile = config.dir().resolve(PID_FILE);
        try {
            if (Files.isRegularFile(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                Optional<ProcessHandle> h = ProcessHandle.of(pid);
                if (h.isPresent() && h.get().isAlive() && h.get().info().commandLine().orElse("").contains("qa-control-plane")) {
                    hint = "The control plane of an earlier stack still runs (pid " + pid + "); stop it with: kill " + pid;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no usable pid file: the generic hint
        }
        Net.requireFree(config.bindAddress(), config.port(), "control plane", hint);
    }

    /** {@code setsid}, when present: the child gets a session of its own, so a terminal's Ctrl-C reaches only the stack, which stops it in order. */
    private static Optional<String> setsid() {
        for (String d : List.of("/usr/bin", "/bin", "/usr/sbin")) {
            Path p = Path.of(d, "setsid");
            if (Files.isExecutable(p)) {
                return Optional.of(p.toString());
            }
        }
        return Optional.empty();
    }

    /**
     * Waits until {@code /actuator/health} answers UP. Fails early, with the end of its log, when the process
     * exits; and when the timeout passes.
     */
    public void awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!client.healthy()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the control plane exited with status " + process.exitValue()
                        + " while starting; the end of " + config.logFile() + ":\n" + tail(20));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the control plane did not report UP on " + config.url()
                        + "/actuator/health within " + timeout.toSeconds() + " s; the end of " + config.logFile() + ":\n" + tail(20));
            }
            process.waitFor(250, TimeUnit.MILLISECONDS);
        }
    }

    /** The last lines of the log, indented. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(config.logFile(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())).indent(4);
        } catch (IOException e) {
            return "    (cannot read it: " + e.getMessage() + ")";
        }
    }

    public String url() {
        return config.url();
    }

    public String adminKey() {
        return adminKey;
    }

    /** A client with the bootstrap admin key. */
    public ControlPlaneClient client() {
        return client;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Config config() {
        return config;
    }

    /** SIGTERM (Spring Boot stops gracefully), then SIGKILL after 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        try {
            Files.deleteIfExists(config.dir().resolve(PID_FILE));
        } catch (IOException e) {
            // stale pid files are checked against the running process anyway
        }
    }
}
