package dev.qaengine.journeys;

import dev.qaengine.model.journey.JourneyPlan.Match;
import dev.qaengine.model.journey.JourneyPlan.Rule;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Whether an event satisfies a plan's {@link Match}: the event code; the channel (a plan without one takes
 * every channel; an event without one — a message that named no {@code eventSourceCode} — matches plans of
 * any channel, CONTRACTS.md §1); and the attribute rules, all of them ({@code any} false) or one of them.
 *
 * <p>Rules compare TEXT attributes as strings and NUMBER attributes as doubles. An absent attribute (or
 * JSON null) satisfies only IS_EMPTY — every other comparison with nothing is false, NE and NOT_IN
 * included (SQL's rule for NULL: "not 5" is not known of a missing price), and so is an empty text.
 */
public final class EventMatcher {
    private EventMatcher() {
    }

    public static boolean matches(Match m, String eventCode, String channel, Map<String, Object> attributes) {
        if (!m.eventCode().equals(eventCode)) {
            return false;
        }
        if (m.channel() != null && channel != null && !m.channel().equals(channel)) {
            return false;
        }
        List<Rule> rules = m.rules() == null ? List.of() : m.rules();
        if (rules.isEmpty()) {
            return true;
        }
        for (Rule r : rules) {
            boolean ok = holds(r, attributes == null ? null : attributes.get(r.attribute()));
            if (m.any() && ok) {
                return true;
            }
            if (!m.any() && !ok) {
                return false;
            }
        }
        return !m.any();
    }

    /**
     * Why an event does not satisfy {@code m}, in words (for the trace): the code, the channel, or the first
     * rule that failed (all rules when one of them would do). Null when it does satisfy it.
     */
    public static String explain(Match m, String eventCode, String channel, Map<String, Object> attributes) {
        if (matches(m, eventCode, channel, attributes)) {
            return null;
        }
        if (!m.eventCode().equals(eventCode)) {
            return "event code " + eventCode + " is not " + m.eventCode();
        }
        if (m.channel() != null && channel != null && !m.channel().equals(channel)) {
            return "channel " + channel + " is not " + m.channel();
        }
        StringBuilder failed = new StringBuilder();
        for (Rule r : m.rules()) {
            Object value = attributes == null ? null : attributes.get(r.attribute());
            if (!holds(r, value)) {
                if (!failed.isEmpty()) {
                    failed.append(m.any() ? " and " : "");
                }
                failed.append("condition ").append(r.attribute()).append(' ').append(r.operator())
                        .append(r.numeric() ? (r.numbers() == null || r.numbers().isEmpty() ? "" : " " + join(r.numbers()))
                                : (r.texts() == null || r.texts().isEmpty() ? "" : " " + join(r.texts())))
                        .append(" failed (").append(r.attribute()).append(value == null ? " is absent)" : " = " + value + ")");
                if (!m.any()) {
                    break;
                }
            }
        }
        return (m.any() ? "no condition held: " : "") + failed;
    }

    private static String join(List<?> values) {
        if (values.size() == 1) {
            return String.valueOf(values.get(0) instanceof Double d && d == Math.rint(d) && !d.isInfinite() ? (Object) d.longValue() : values.get(0));
        }
        return values.toString();
    }

    static boolean holds(Rule r, Object value) {
        boolean empty = value == null || (value instanceof String s && s.isEmpty());
        switch (r.operator()) {
            case IS_EMPTY:
                return empty;
            case IS_NOT_EMPTY:
                return !empty;
            default:
                if (empty) {
                    return false;
                }
        }
        if (r.numeric()) {
            Double x = number(value);
            if (x == null) {
                return false;
            }
            List<Double> v = r.numbers();
            return switch (r.operator()) {
                case EQ -> x.doubleValue() == v.get(0);
                case NE -> x.doubleValue() != v.get(0);
                case GT -> x > v.get(0);
                case GE -> x >= v.get(0);
                case LT -> x < v.get(0);
                case LE -> x <= v.get(0);
                case BETWEEN -> x >= v.get(0) && x <= v.get(1);
                case IN -> v.contains(x);
                case NOT_IN -> !v.contains(x);
                default -> false;
            };
        }
        String x = String.valueOf(value);
        List<String> v = r.texts();
        return switch (r.operator()) {
            case EQ -> x.equals(v.get(0));
            case NE -> !x.equals(v.get(0));
            case CONTAINS -> x.contains(v.get(0));
            case NOT_CONTAINS -> !x.contains(v.get(0));
            case STARTS_WITH -> x.startsWith(v.get(0));
            case ENDS_WITH -> x.endsWith(v.get(0));
            case IN -> v.contains(x);
            case NOT_IN -> !v.contains(x);
            default -> false;
        };
    }

    static Double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return new BigDecimal(s.trim()).doubleValue();
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
