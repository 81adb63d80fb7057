package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.channel.InterfaceUsage;
import dev.qaengine.controlplane.event.DefinitionUsage;
import dev.qaengine.controlplane.journey.JourneyRepository.Row;
import dev.qaengine.controlplane.template.TemplateRepository.Kind;
import dev.qaengine.controlplane.template.TemplateUsage;
import dev.qaengine.model.journey.JourneyDefinition;
import dev.qaengine.model.journey.JourneyDefinition.Node;
import dev.qaengine.model.journey.NodeType;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What journeys use, so that it is not deleted from under them (SEMANTICS.md: a definition used by a running
 * journey cannot be deleted): the event definitions of a trigger and of its EVENT_BRANCH nodes, the channels
 * (APP_KEYs) these name, and the channel interfaces ({@code config.channel}) and SMS/email templates
 * ({@code config.template}) of action nodes — read from the stored definitions.
 *
 * <p>A journey holds them while it is started and not over: PENDING (queued ones too: they start without
 * another check of these), RUNNING, and PAUSED (it resumes with the same definition). Drafts (INCOMPLETE,
 * NOT_STARTED) hold nothing — the product protects definitions from running journeys only, and a draft whose
 * reference was deleted reads INCOMPLETE with the reason and cannot start until it is fixed. STOPPED, FINISHED and
 * FAILED journeys never run again. Users are named "journey '&lt;name&gt;'".
 */
@Component
public class JourneyUsage implements DefinitionUsage, InterfaceUsage, TemplateUsage {
    private final JourneyRepository journeys;

    public JourneyUsage(JourneyRepository journeys) {
        this.journeys = journeys;
    }

    @Override
    public List<String> usersOfEvent(String orgId, String eventCode) {
        return users(orgId, d -> events(d).anyMatch(e -> eventCode.equals(e.eventCode())));
    }

    @Override
    public List<String> usersOfChannel(String orgId, String appKey) {
        return users(orgId, d -> events(d).anyMatch(e -> appKey.equals(e.channel())));
    }

    @Override
    public List<String> usersOfInterface(String orgId, String interfaceId) {
        return users(orgId, d -> actions(d).anyMatch(c -> interfaceId.equals(c.get("channel"))));
    }

    @Override
    public List<String> usersOf(String orgId, Kind kind, String id) {
        // journeys name templates, never signatures (those are the SMS platform's business)
        return kind == Kind.SMS_SIGNATURE ? List.of() : users(orgId, d -> actions(d).anyMatch(c -> id.equals(c.get("template"))));
    }

    private List<String> users(String orgId, Predicate<JourneyDefinition> uses) {
        return journeys.live(orgId).stream().filter(r -> uses.test(r.definition())).map(Row::name).map(n -> "journey '" + n + "'").toList();
    }

    /** An event a journey names, and the channel it names with it (null: none named). */
    private record EventRef(String eventCode, String channel) {
    }

    /** The trigger's event and every EVENT_BRANCH's, as given (a branch without a channel names none). */
    private static Stream<EventRef> events(JourneyDefinition d) {
        Stream<EventRef> trigger = Stream.ofNullable(d.trigger()).map(JourneyDefinition.Trigger::event).filter(Objects::nonNull)
                .map(e -> new EventRef(e.eventCode(), e.channel()));
        Stream<EventRef> branches = d.nodesOrEmpty().stream().filter(n -> n.type() == NodeType.EVENT_BRANCH)
                .map(n -> config(n).get("event") instanceof Map<?, ?> e ? new EventRef(text(e, "eventCode"), text(e, "channel")) : null)
                .filter(Objects::nonNull);
        return Stream.concat(trigger, branches);
    }

    private static Stream<Map<String, Object>> actions(JourneyDefinition d) {
        return d.nodesOrEmpty().stream().filter(n -> n.type() != null && n.type().isAction()).map(JourneyUsage::config);
    }

    private static Map<String, Object> config(Node n) {
        return n.config() == null ? Map.of() : n.config();
    }

    private static String text(Map<?, ?> m, String field) {
        return m.get(field) instanceof String s ? s : null;
    }
}
