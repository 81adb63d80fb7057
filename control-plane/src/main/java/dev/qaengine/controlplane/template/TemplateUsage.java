package dev.qaengine.controlplane.template;

import dev.qaengine.controlplane.template.TemplateRepository.Kind;

import java.util.List;

/** Who uses a signature or template, so it is not deleted from under them: journeys ({@code journey.JourneyUsage}). */
public interface TemplateUsage {

    /** Names of the users (e.g. "journey 'Cart reminder'"); empty when unused. */
    List<String> usersOf(String orgId, Kind kind, String id);
}
