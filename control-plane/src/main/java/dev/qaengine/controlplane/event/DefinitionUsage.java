package dev.qaengine.controlplane.event;

import java.util.List;

/**
 * Who else uses a definition, so it is not deleted from under them (SEMANTICS.md: a definition used by a
 * running journey cannot be deleted). Journeys implement it ({@code journey.JourneyUsage}).
 */
public interface DefinitionUsage {

    /** Names of the users (e.g. "journey 'Cart reminder'") of an event definition; empty when unused. */
    List<String> usersOfEvent(String orgId, String eventCode);

    /** Names of the users of a channel beyond its event definitions (which the catalog checks itself). */
    List<String> usersOfChannel(String orgId, String appKey);
}
