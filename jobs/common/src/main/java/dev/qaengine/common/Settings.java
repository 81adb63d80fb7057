package dev.qaengine.common;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed configuration read from environment variables (one source of truth per deployment: the local
 * stack, compose and helm all set the same {@code QA_*} names). Tests pass their own map.
 */
public final class Settings {
    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = values;
    }

    public static Settings fromEnv() {
        return new Settings(System.getenv());
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(Map.copyOf(values));
    }

    /**
     * The environment, with {@code QA_NAME=value} program arguments on top: how a job submitted to a session
     * cluster ({@code POST /jars/{id}/run}, {@code flink run}) gets settings of its own while the cluster's
     * environment stays shared. Secrets belong in the environment: program arguments show in the dashboard.
     *
     * @throws IllegalArgumentException for an argument that is not {@code QA_NAME=value}
     */
    public static Settings fromEnvAndArgs(String... args) {
        Map<String, String> m = new java.util.HashMap<>(System.getenv());
        m.putAll(parseArgs(args));
        return of(m);
    }

    static Map<String, String> parseArgs(String... args) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            if (eq < 0 || !name.matches("QA_[A-Z0-9_]+")) {
                throw new IllegalArgumentException("program arguments are settings, QA_NAME=value; got: " + a);
            }
            m.put(name, a.substring(eq + 1));
        }
        return m;
    }

    public Optional<String> get(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String string(String name, String fallback) {
        return get(name).orElse(fallback);
    }

    public int integer(String name, int fallback) {
        return parse(name, fallback, Integer::parseInt);
    }

    public long longValue(String name, long fallback) {
        return parse(name, fallback, Long::parseLong);
    }

    public boolean bool(String name, boolean fallback) {
        return parse(name, fallback, Boolean::parseBoolean);
    }

    /** A duration written as ISO-8601 ({@code PT10M}) or as a number with a unit: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 7d}. */
    public Duration duration(String name, Duration fallback) {
        return parse(name, fallback, Settings::parseDuration);
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase();
        if (t.startsWith("p")) {
            return Duration.parse(t.toUpperCase());
        }
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        long n = Long.parseLong(t.substring(0, i));
        return switch (t.substring(i).trim()) {
            case "ms" -> Duration.ofMillis(n);
            case "s", "" -> Duration.ofSeconds(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("unknown duration unit in: " + text);
        };
    }

    private <T> T parse(String name, T fallback, Function<String, T> parser) {
        Optional<String> raw = get(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            return parser.apply(raw.get());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Setting " + name + " has an invalid value '" + raw.get() + "': " + e.getMessage(), e);
        }
    }
}
