package dev.qaengine.model.journey;

import dev.qaengine.model.AppType;
import dev.qaengine.model.ChannelInterfaceType;
import dev.qaengine.model.IdType;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The nodes of a journey (SEMANTICS.md § Journeys, product docs L8583-8660): actions, branches, flow.
 * Which node a journey may use depends on its trigger, and for event-triggered journeys on the app type
 * of the trigger event's channel ({@link #availableFor}).
 */
public enum NodeType {
    SMS(Kind.ACTION, ChannelInterfaceType.SMS, List.of(IdType.MOBILE)),
    EMAIL(Kind.ACTION, ChannelInterfaceType.EMAIL, List.of(IdType.EMAIL)),
    PUSH(Kind.ACTION, ChannelInterfaceType.PUSH, List.of(IdType.IDFA, IdType.IMEI, IdType.OAID, IdType.ONEID)),
    WECHAT(Kind.ACTION, ChannelInterfaceType.WECHAT, List.of(IdType.OPEN_ID, IdType.UNION_ID)),
    /** The product's "custom component": a configured webhook. */
    WEBHOOK(Kind.ACTION, ChannelInterfaceType.WEBHOOK, List.of(IdType.values())),
    COUPON(Kind.ACTION, null, List.of(IdType.values())),
    KAFKA_PUSH(Kind.ACTION, ChannelInterfaceType.KAFKA, List.of(IdType.values())),
    GENERATE_AUDIENCE(Kind.ACTION, null, List.of()),
    EVENT_BRANCH(Kind.BRANCH, null, List.of()),
    RESULT_BRANCH(Kind.BRANCH, null, List.of()),
    TIME_BRANCH(Kind.BRANCH, null, List.of()),
    TAG_BRANCH(Kind.BRANCH, null, List.of()),
    COPY_BRANCH(Kind.BRANCH, null, List.of()),
    RANDOM_BRANCH(Kind.BRANCH, null, List.of()),
    WAIT(Kind.FLOW, null, List.of()),
    END(Kind.FLOW, null, List.of());

    public enum Kind { ACTION, BRANCH, FLOW }

    public final Kind kind;
    /** The channel interface an action sends through; null when it needs none. */
    public final ChannelInterfaceType interfaceType;
    /** The ID types an action can address a person by (what "the action's ID type is obtainable" checks). */
    public final List<IdType> idTypes;

    NodeType(Kind kind, ChannelInterfaceType interfaceType, List<IdType> idTypes) {
        this.kind = kind;
        this.interfaceType = interfaceType;
        this.idTypes = idTypes;
    }

    public boolean isAction() {
        return kind == Kind.ACTION;
    }

    public boolean isBranch() {
        return kind == Kind.BRANCH;
    }

    /** Actions that send a message through a template (and so take variables). */
    public boolean usesTemplate() {
        return this == SMS || this == EMAIL || this == PUSH || this == WECHAT;
    }

    private static final Set<NodeType> AUDIENCE_ONLY = EnumSet.of(KAFKA_PUSH, GENERATE_AUDIENCE, TIME_BRANCH, TAG_BRANCH, RANDOM_BRANCH);

    /**
     * Whether a journey with this trigger may use the node. Event-triggered journeys (L8594-8625): actions
     * by the trigger event's app type — APP: SMS, EMAIL, PUSH, custom; WEB: SMS, EMAIL, custom;
     * MINI_PROGRAM: SMS, EMAIL, WECHAT, custom; THIRD_PARTY: SMS, EMAIL, PUSH, WECHAT, custom — and the
     * branches EVENT_BRANCH, RESULT_BRANCH, COPY_BRANCH. COUPON needs a social-interaction event, a kind of
     * channel we do not have, so it is never available to event journeys. Audience-triggered journeys may
     * use every node. WAIT and END are available to both: the product lists WAIT for audience journeys
     * only; we also allow it after an event trigger ("an hour after signing up …"), a superset that
     * accepts every journey the product accepts.
     *
     * @param appType the app type of the trigger event's channel; null when unknown (any channel): then
     *                only what every app type allows
     */
    public boolean availableFor(TriggerType trigger, AppType appType) {
        if (trigger == TriggerType.AUDIENCE) {
            return true;
        }
        if (AUDIENCE_ONLY.contains(this) || this == COUPON) {
            return false;
        }
        return switch (this) {
            case PUSH -> appType == AppType.APP || appType == AppType.THIRD_PARTY;
            case WECHAT -> appType == AppType.MINI_PROGRAM || appType == AppType.THIRD_PARTY;
            default -> true;
        };
    }
}
