package dev.qaengine.normalize;

import dev.qaengine.model.AppType;
import dev.qaengine.model.AttributeType;
import dev.qaengine.model.DlqReason;
import dev.qaengine.model.IdType;

import java.math.BigDecimal;

/**
 * Applies an organization's definitions to a parsed message (SEMANTICS.md § Events): the org must have a
 * catalog, the channel (when given) must be one of its channels, the event code must be defined (on that
 * channel, when the event is bound to one), and every attribute must be defined for the event or be a
 * global attribute of the channel, with a value of its type.
 */
final class Validation {
    private Validation() {
    }

    /** The outcome: {@code reason == null} means valid, and then {@code appType}/{@code types} describe it. */
    record Outcome(DlqReason reason, String detail, AppType appType, AttributeType[] types, String[] values, IdType customerIdType) {
        boolean valid() {
            return reason == null;
        }
    }

    static Outcome validate(RawElement e, Catalog catalog) {
        if (catalog == null) {
            return reject(DlqReason.UNKNOWN_ORG, "organization '" + e.orgId + "' has no event definitions");
        }
        Catalog.Channel channel = null;
        if (e.channel != null) {
            channel = catalog.channel(e.channel);
            if (channel == null) {
                return reject(DlqReason.UNKNOWN_CHANNEL, "eventSourceCode '" + e.channel + "' is not a channel of organization '" + e.orgId + "'");
            }
        }
        Catalog.Event event = catalog.event(e.eventCode);
        if (event == null) {
            return reject(DlqReason.UNKNOWN_EVENT, "eventCode '" + e.eventCode + "' is not defined for organization '" + e.orgId + "'");
        }
        if (channel != null && event.channel() != null && !event.channel().equals(channel.appKey())) {
            return reject(DlqReason.UNKNOWN_EVENT, "eventCode '" + e.eventCode + "' is defined on channel '" + event.channel()
                    + "', not on eventSourceCode '" + e.channel + "'");
        }
        if (channel == null && event.channel() != null) {
            channel = catalog.channel(event.channel());
        }
        AttributeType[] types = new AttributeType[e.attrNames.length];
        String[] values = e.attrValues;
        for (int i = 0; i < types.length; i++) {
            String name = e.attrNames[i];
            AttributeType type = event.attributes().get(name);
            if (type == null && channel != null) {
                type = channel.globals().get(name);
            }
            if (type == null) {
                return reject(DlqReason.BAD_ATTRIBUTE, "extendAttributes." + name + " is not an attribute of event '" + e.eventCode + "'");
            }
            if (type == AttributeType.NUMBER) {
                String number = canonicalNumber(e.attrValues[i]);
                if (number == null) {
                    return reject(DlqReason.BAD_ATTRIBUTE, "extendAttributes." + name + " must be a NUMBER, found '" + clip(e.attrValues[i]) + "'");
                }
                if (values == e.attrValues) {
                    values = e.attrValues.clone();
                }
                values[i] = number;
            }
            types[i] = type;
        }
        return new Outcome(null, null, channel == null ? null : channel.appType(), types, values,
                channel == null ? null : channel.customerIdType());
    }

    /**
     * The canonical JSON number text of a decimal ("12.50" and "1.25e1" are both "12.5"), or null when
     * the text is not a finite decimal of sane magnitude (NaN, hex, "1e999999" are rejected).
     */
    static String canonicalNumber(String s) {
        String simple = simpleDecimal(s);
        if (simple != null) {
            return simple;
        }
        return decimal(s);
    }

    /**
     * The common case of {@link #canonicalNumber} without BigDecimal (which cost a tenth of the operator's
     * time): {@code -?[0-9]+(\.[0-9]+)?} of at most 20 characters, written without leading zeros,
     * trailing fraction zeros and the sign of zero; null for anything else (then {@link #decimal} decides).
     */
    static String simpleDecimal(String s) {
        int n = s.length();
        if (n == 0 || n > 20) {
            return null;
        }
        int i = s.charAt(0) == '-' ? 1 : 0;
        int intStart = i;
        while (i < n && isAsciiDigit(s.charAt(i))) {
            i++;
        }
        int intEnd = i;
        if (intEnd == intStart) {
            return null;
        }
        int fracStart = -1;
        int fracEnd = -1;
        if (i < n && s.charAt(i) == '.') {
            fracStart = ++i;
            while (i < n && isAsciiDigit(s.charAt(i))) {
                i++;
            }
            fracEnd = i;
            if (fracEnd == fracStart) {
                return null;
            }
        }
        if (i != n) {
            return null;
        }
        int a = intStart;
        while (a < intEnd - 1 && s.charAt(a) == '0') {
            a++;
        }
        int fe = fracEnd;
        while (fe > fracStart && s.charAt(fe - 1) == '0') {
            fe--;
        }
        boolean fraction = fe > fracStart;
        if (!fraction && intEnd - a == 1 && s.charAt(a) == '0') {
            return "0";
        }
        if (a == 0 && (fraction ? fe : intEnd) == n) {
            return s; // already canonical
        }
        StringBuilder b = new StringBuilder(n);
        if (intStart == 1) {
            b.append('-');
        }
        b.append(s, a, intEnd);
        if (fraction) {
            b.append('.').append(s, fracStart, fe);
        }
        return b.toString();
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** {@link #canonicalNumber} by BigDecimal: any decimal text. */
    static String decimal(String s) {
        String t = s.trim();
        if (t.isEmpty() || t.length() > 64) {
            return null;
        }
        char c0 = t.charAt(0);
        if (!(c0 == '-' || (c0 >= '0' && c0 <= '9') || c0 == '.')) {
            return null;
        }
        try {
            BigDecimal d = new BigDecimal(t);
            if (d.signum() == 0) {
                return "0";
            }
            d = d.stripTrailingZeros();
            if (d.scale() > 64 || d.precision() - d.scale() > 64) {
                return null;
            }
            return d.toPlainString();
        } catch (NumberFormatException | ArithmeticException ex) {
            return null;
        }
    }

    private static Outcome reject(DlqReason reason, String detail) {
        return new Outcome(reason, detail, null, null, null, null);
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
