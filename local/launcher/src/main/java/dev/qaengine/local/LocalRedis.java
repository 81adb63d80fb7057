package dev.qaengine.local;

import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The stack's Redis, in order of preference: the one {@code QA_REDIS_URL} names (only pinged); one that
 * already answers on 127.0.0.1:port (reused, never stopped by us); a {@code redis-server} from the
 * PATH, started with its data under the given dir; or the binary shipped in the embedded-redis jar.
 */
public final class LocalRedis implements AutoCloseable {
    public enum Kind {
        EXTERNAL("external (QA_REDIS_URL)"),
        REUSED("already running, reused"),
        PATH_BINARY("redis-server from PATH, started by the stack"),
        EMBEDDED("embedded redis-server binary, started by the stack");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    private final Kind kind;
    private final String url;
    private final Process process;
    private final RedisServer embedded;

    private LocalRedis(Kind kind, String url, Process process, RedisServer embedded) {
        this.kind = kind;
        this.url = url;
        this.process = process;
        this.embedded = embedded;
    }

    public static LocalRedis start(Optional<String> externalUrl, int port, Path dir, Path logFile) throws Exception {
        if (externalUrl.isPresent()) {
            String url = externalUrl.get();
            if (!ping(URI.create(url))) {
                throw new IllegalStateException("QA_REDIS_URL=" + url + " does not answer PING");
            }
            return new LocalRedis(Kind.EXTERNAL, url, null, null);
        }
        String host = StackConfig.HOST;
        URI uri = URI.create("redis://" + host + ":" + port);
        if (ping(uri)) {
            return new LocalRedis(Kind.REUSED, uri.toString(), null, null);
        }
        Net.requireFree(host, port, "Redis", "Set QA_REDIS_PORT or QA_REDIS_URL.");
        Files.createDirectories(dir);
        Optional<Path> binary = onPath("redis-server");
        LocalRedis redis;
        if (binary.isPresent()) {
            Files.createDirectories(logFile.getParent());
            Process p = new ProcessBuilder(binary.get().toString(),
                    "--port", String.valueOf(port), "--bind", host, "--dir", dir.toAbsolutePath().toString(),
                    "--daemonize", "no", "--save", "60 1", "--appendonly", "no")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            redis = new LocalRedis(Kind.PATH_BINARY, uri.toString(), p, null);
        } else {
            RedisServer server = RedisServer.newRedisServer()
                    .port(port)
                    .bind(host)
                    .setting("dir " + dir.toAbsolutePath())
                    .setting("save 60 1")
                    .setting("appendonly no")
                    .build();
            server.start();
            redis = new LocalRedis(Kind.EMBEDDED, uri.toString(), null, server);
        }
        boolean up = Net.await(Duration.ofSeconds(15), () -> ping(uri) || (redis.process != null && !redis.process.isAlive()));
        if (!up || !ping(uri)) {
            redis.close();
            throw new IllegalStateException("Redis did not start on " + uri + " (see " + logFile + ")");
        }
        return redis;
    }

    static boolean ping(URI uri) {
        try (Jedis jedis = new Jedis(uri, 1000)) {
            return "PONG".equalsIgnoreCase(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(d, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public String url() {
        return url;
    }

    public Kind kind() {
        return kind;
    }

    public String description() {
        return kind.description + (process != null ? ", pid " + process.pid() : "");
    }

    /** Stops the server only if this stack started it (Redis saves its data on SIGTERM). */
    @Override
    public void close() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        if (embedded != null && embedded.isActive()) {
            embedded.stop();
        }
    }
}
