package dev.qaengine.controlplane.secret;

import dev.qaengine.model.SecretBox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;

/**
 * Where the platform key that seals secrets comes from, in this order:
 * <ol>
 *   <li>{@code QA_SECRET_KEY} (base64 of 32 bytes) — what production sets, the same value on every instance
 *       and for the jobs that open the secrets;</li>
 *   <li>unset, with the embedded H2 file database: a key generated once into {@code secret.key} next to the
 *       database file (owner-only permissions) and read from there on later starts — the zero-install default;</li>
 *   <li>unset, with an in-memory H2 database: a key for this process only (its secrets die with it anyway);</li>
 *   <li>unset with any other database: start-up fails. Instances sharing a PostgreSQL database must share the
 *       key, and a key generated on one machine would leave the others unable to read what it sealed.</li>
 * </ol>
 */
public final class SecretKeySource {
    public static final String KEY_FILE = "secret.key";

    /** The key and a sentence saying where it came from (logged at start-up). */
    public record Resolved(SecretBox box, Origin origin, Path file) {
    }

    public enum Origin { CONFIGURED, KEY_FILE_CREATED, KEY_FILE_READ, EPHEMERAL }

    private SecretKeySource() {
    }

    public static Resolved resolve(String configuredKey, String dbUrl) {
        if (configuredKey != null && !configuredKey.isBlank()) {
            try {
                return new Resolved(SecretBox.fromBase64(configuredKey), Origin.CONFIGURED, null);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("QA_SECRET_KEY is not usable: " + e.getMessage()
                        + " (make one with: openssl rand -base64 32)");
            }
        }
        String url = dbUrl == null ? "" : dbUrl.strip();
        if (!url.regionMatches(true, 0, "jdbc:h2:", 0, 8)) {
            throw new IllegalStateException("QA_SECRET_KEY must be set when the database is not the embedded H2 file ("
                    + redact(url) + "): every instance, and the jobs, must use the same key (make one with: openssl rand -base64 32)");
        }
        String rest = url.substring(8);
        int semicolon = rest.indexOf(';');
        String location = semicolon < 0 ? rest : rest.substring(0, semicolon);
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("mem:")) {
            return new Resolved(SecretBox.fromBase64(SecretBox.newKeyBase64()), Origin.EPHEMERAL, null);
        }
        if (lower.startsWith("tcp:") || lower.startsWith("ssl:") || (lower.indexOf(':') > 1 && !lower.startsWith("file:"))) {
            throw new IllegalStateException("QA_SECRET_KEY must be set when the database is not a local H2 file ("
                    + redact(url) + "): there is no data directory to keep a generated key in");
        }
        String path = lower.startsWith("file:") ? location.substring(5) : location;
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        Path dir = Path.of(path).toAbsolutePath().normalize().getParent();
        return fromKeyFile(dir.resolve(KEY_FILE));
    }

    /** Reads the key file, or creates it with a new key when it does not exist (two instances racing agree on the first). */
    static Resolved fromKeyFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                String key = SecretBox.newKeyBase64();
                try {
                    write(file, key);
                    return new Resolved(SecretBox.fromBase64(key), Origin.KEY_FILE_CREATED, file);
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: use theirs
                }
            }
            String key = Files.readString(file, StandardCharsets.US_ASCII);
            try {
                return new Resolved(SecretBox.fromBase64(key), Origin.KEY_FILE_READ, file);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the secret key file " + file + " is damaged: " + e.getMessage()
                        + "; restore it from a backup (the secrets it sealed cannot be read without it)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret key file " + file, e);
        }
    }

    private static void write(Path file, String key) throws IOException {
        byte[] bytes = (key + "\n").getBytes(StandardCharsets.US_ASCII);
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
            Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
            Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
        } else {
            Files.write(file, bytes, StandardOpenOption.CREATE_NEW);
        }
    }

    /** A JDBC URL without whatever might be a password in it. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }
}
