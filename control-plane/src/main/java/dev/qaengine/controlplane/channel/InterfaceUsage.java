package dev.qaengine.controlplane.channel;

import java.util.List;

/**
 * Who uses a channel interface, so it is not deleted from under them (the product: a webhook used by a
 * marketing task cannot be deleted). Templates and signatures of a platform answer here ({@code template.PlatformUsage}),
 * and so do journeys ({@code journey.JourneyUsage}).
 */
public interface InterfaceUsage {

    /** Names of the users (e.g. "SMS template 'Welcome'", "journey 'Cart reminder'"); empty when unused. */
    List<String> usersOfInterface(String orgId, String interfaceId);
}
