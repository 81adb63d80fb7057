package dev.qaengine.model;

import java.util.Locale;

/**
 * How each ID type's values are normalized and validated, so that one person's identifier is one key
 * however clients spell it (SEMANTICS.md § Identity). Shared by the identity job (links and events) and
 * the control plane (look-ups by identifier), so both agree on what a value means.
 *
 * <ul>
 *   <li>MOBILE: separators (space, {@code - . ( )}) and a {@code +86}, {@code 0086} or {@code 86} country
 *   prefix removed; then exactly 11 ASCII digits starting with 1 (mainland numbers, L2360).</li>
 *   <li>EMAIL: trimmed, lower-cased; one {@code @}, a non-empty local part, a domain with a dot, no spaces.</li>
 *   <li>IMEI (15 digits; 14-hex MEIDs too), IMSI (14-15 digits), IDFA and OAID (hex device ids) are
 *   upper-cased, separators removed except an IDFA's UUID dashes; all-zero device ids — what a device
 *   reports when the user limits ad tracking — are refused: they would join every such device into one
 *   person.</li>
 *   <li>MAC_ORG: 12 hex digits in any common notation → {@code AA:BB:CC:DD:EE:FF}; the all-zero and
 *   Android's fixed {@code 02:00:00:00:00:00} are refused for the same reason.</li>
 *   <li>ONEID and the platform ids (UNION_ID, OPEN_ID, TAOBAO_ID, TAOBAO_NICK, ALIPAY_ID, WEIBO_ID_ORG):
 *   trimmed, case kept (platforms issue case-sensitive ids).</li>
 * </ul>
 * Every value: at most {@value #MAX_LENGTH} characters after normalization, no control characters.
 */
public final class IdentifierRules {
    public static final int MAX_LENGTH = 256;

    /** A normalized identifier, or why the value is not one. */
    public record Result(Identifier identifier, String problem) {
        public boolean valid() {
            return identifier != null;
        }
    }

    private IdentifierRules() {
    }

    public static Result normalize(IdType type, String raw) {
        if (raw == null) {
            return bad(type, "no value");
        }
        String v = raw.strip();
        if (v.isEmpty()) {
            return bad(type, "empty value");
        }
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) {
                return bad(type, "control character at " + i);
            }
        }
        String n = switch (type) {
            case MOBILE -> mobile(v);
            case EMAIL -> email(v);
            case IMEI -> digitsOrHex(v, 14, 16);
            case IMSI -> digits(strip(v, " -"), 14, 15);
            case IDFA -> uuid(v);
            case OAID -> oaid(v);
            case MAC_ORG -> mac(v);
            default -> v;
        };
        if (n == null) {
            return bad(type, "not a valid " + type.name() + " value");
        }
        if (n.length() > MAX_LENGTH) {
            return bad(type, "longer than " + MAX_LENGTH + " characters");
        }
        if (isAllZero(type, n)) {
            return bad(type, "an all-zero " + type.name() + " identifies no device");
        }
        return new Result(new Identifier(type, n), null);
    }

    private static Result bad(IdType type, String why) {
        return new Result(null, type.name() + ": " + why);
    }

    private static String mobile(String v) {
        String d = strip(v, " -.()\u00a0");
        if (d.startsWith("+86")) {
            d = d.substring(3);
        } else if (d.startsWith("0086")) {
            d = d.substring(4);
        } else if (d.startsWith("86") && d.length() == 13) {
            d = d.substring(2);
        }
        String digits = digits(d, 11, 11);
        return digits != null && digits.charAt(0) == '1' ? digits : null;
    }

    private static String email(String v) {
        String e = v.toLowerCase(Locale.ROOT);
        int at = e.indexOf('@');
        if (at <= 0 || at != e.lastIndexOf('@') || at == e.length() - 1) {
            return null;
        }
        String domain = e.substring(at + 1);
        int dot = domain.indexOf('.');
        if (dot <= 0 || domain.endsWith(".") || domain.contains("..")) {
            return null;
        }
        for (int i = 0; i < e.length(); i++) {
            if (Character.isWhitespace(e.charAt(i))) {
                return null;
            }
        }
        return e;
    }

    private static String uuid(String v) {
        String u = v.toUpperCase(Locale.ROOT);
        if (u.length() != 36) {
            return null;
        }
        for (int i = 0; i < 36; i++) {
            char c = u.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !isHex(c)) {
                return null;
            }
        }
        return u;
    }

    private static String oaid(String v) {
        String u = v.toUpperCase(Locale.ROOT);
        for (int i = 0; i < u.length(); i++) {
            char c = u.charAt(i);
            if (!isHex(c) && c != '-') {
                return null;
            }
        }
        return u.length() >= 16 ? u : null;
    }

    private static String mac(String v) {
        String h = strip(v, ":-. ").toUpperCase(Locale.ROOT);
        if (h.length() != 12) {
            return null;
        }
        StringBuilder b = new StringBuilder(17);
        for (int i = 0; i < 12; i++) {
            if (!isHex(h.charAt(i))) {
                return null;
            }
            if (i > 0 && i % 2 == 0) {
                b.append(':');
            }
            b.append(h.charAt(i));
        }
        String m = b.toString();
        return m.equals("02:00:00:00:00:00") ? "00:00:00:00:00:00" : m; // Android's placeholder counts as zero
    }

    private static String digitsOrHex(String v, int min, int max) {
        String u = strip(v, " -").toUpperCase(Locale.ROOT);
        if (u.length() < min || u.length() > max) {
            return null;
        }
        for (int i = 0; i < u.length(); i++) {
            if (!isHex(u.charAt(i))) {
                return null;
            }
        }
        return u;
    }

    private static String digits(String v, int min, int max) {
        if (v.length() < min || v.length() > max) {
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return v;
    }

    private static boolean isAllZero(IdType type, String v) {
        if (type != IdType.IDFA && type != IdType.OAID && type != IdType.IMEI && type != IdType.MAC_ORG) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != '0' && c != '-' && c != ':') {
                return false;
            }
        }
        return true;
    }

    private static String strip(String v, String chars) {
        StringBuilder b = null;
        for (int i = 0; i < v.length(); i++) {
            if (chars.indexOf(v.charAt(i)) >= 0) {
                if (b == null) {
                    b = new StringBuilder(v.length()).append(v, 0, i);
                }
            } else if (b != null) {
                b.append(v.charAt(i));
            }
        }
        return b == null ? v : b.toString();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }
}
