package dev.qaengine.controlplane.channel;

import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.ProblemCode;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validation of interface settings that bean validation cannot express, each failure naming its field (422). */
public final class Checks {
    static final int MAX_URL = 2048;
    private static final Pattern HOST_PORT = Pattern.compile("^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):([0-9]{1,5})$");
    private static final Pattern TOPIC = Pattern.compile("^[A-Za-z0-9._-]{1,249}$");

    private Checks() {
    }

    /**
     * A complete http:// or https:// address with a host (the product: "必须是以http或https开头的完整地址");
     * answers it stripped of surrounding whitespace.
     */
    public static String httpUrl(String field, String value) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            throw invalid(field, "is required");
        }
        if (v.length() > MAX_URL) {
            throw invalid(field, "is longer than " + MAX_URL + " characters");
        }
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            throw invalid(field, "is not a valid URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid(field, "must start with http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw invalid(field, "must name a host, e.g. https://partner.example.com/hook");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid(field, "must not carry credentials (user:password@)");
        }
        return v;
    }

    /** A URL prefix the platform paths are appended to: no query or fragment, no trailing slash. */
    public static String urlPrefix(String field, String value) {
        String v = httpUrl(field, value);
        URI uri = URI.create(v);
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(field, "must not have a query or fragment: paths such as /sms/smsTemplate are appended to it");
        }
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        return v;
    }

    /** {@code host:port[,host:port…]}, as Kafka's bootstrap.servers; answers it without spaces. */
    public static String bootstrapServers(String field, String value) {
        String v = value == null ? "" : value.replace(" ", "");
        if (v.isEmpty()) {
            throw invalid(field, "is required");
        }
        for (String part : v.split(",", -1)) {
            var m = HOST_PORT.matcher(part);
            if (!m.matches()) {
                throw invalid(field, "'" + clip(part) + "' is not host:port; give host:port[,host:port…]");
            }
            int port = Integer.parseInt(m.group(3));
            if (port < 1 || port > 65535) {
                throw invalid(field, "port " + port + " is not between 1 and 65535");
            }
        }
        return v;
    }

    /** A legal Kafka topic name. */
    public static String topic(String field, String value) {
        String v = value == null ? "" : value.strip();
        if (!TOPIC.matcher(v).matches() || v.equals(".") || v.equals("..")) {
            throw invalid(field, "must be 1-249 letters, digits, '.', '_' or '-' (and not '.' or '..')");
        }
        return v;
    }

    static ApiException invalid(String field, String message) {
        return ApiException.field(ProblemCode.VALIDATION, field, message);
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
