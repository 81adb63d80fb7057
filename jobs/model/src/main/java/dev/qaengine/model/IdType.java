package dev.qaengine.model;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The 14 person identifier types (SEMANTICS.md § Identity). The enum name is the wire spelling of the
 * webhook's {@code target_type} (CONTRACTS.md §3) and is what Jackson writes; identity messages spell the
 * same types in lower case ({@link #apiName()}, CONTRACTS.md §2).
 */
public enum IdType {
    ONEID, UNION_ID, OPEN_ID, MOBILE, EMAIL, TAOBAO_ID, TAOBAO_NICK, ALIPAY_ID, WEIBO_ID_ORG, IMEI, IDFA, IMSI, OAID,
    MAC_ORG;

    private static final Map<String, IdType> BY_API_NAME = new HashMap<>();

    static {
        for (IdType t : values()) {
            BY_API_NAME.put(t.apiName(), t);
        }
    }

    /**
     * The identity API's spelling ({@code oneid}, {@code open_id}, …). The product's list lacks {@code imsi}
     * and {@code oaid}; they follow the same rule, so every type has one.
     */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads an {@code idMapping} or {@code target_type}: the API's lower-case spelling or the enum name, in
     * any letter case (clients mix them). Unknown, null or padded input is empty, so that the caller can
     * reject the message with a reason instead of failing. {@link Locale#ROOT}: under a Turkish default
     * locale {@code "imei".toUpperCase()} would not be {@code IMEI}.
     */
    public static Optional<IdType> parse(String s) {
        return s == null ? Optional.empty() : Optional.ofNullable(BY_API_NAME.get(s.toLowerCase(Locale.ROOT)));
    }

    /**
     * Whether a MOBILE value can be used for SMS: exactly 11 ASCII digits, without the {@code 86} country
     * prefix (L2360). Any other MOBILE value stays a valid identifier, just not an SMS address.
     * {@link Character#isDigit} is not used: it accepts non-ASCII digits that no SMS platform does.
     */
    public static boolean isSmsMobile(String mobile) {
        if (mobile == null || mobile.length() != 11) {
            return false;
        }
        for (int i = 0; i < mobile.length(); i++) {
            char c = mobile.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
