package dev.qaengine.controlplane.journey;

import dev.qaengine.controlplane.config.QaProperties;
import dev.qaengine.controlplane.tenancy.Caller;
import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.ProblemCode;
import dev.qaengine.journeys.DryRun;
import dev.qaengine.model.journey.JourneyPlan;
import org.springframework.stereotype.Service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A journey run over a recorded event file with nothing sent ({@code POST /api/v1/journeys/{id}/dry-run}): the journeys
 * engine's own logic ({@link DryRun}, qa-journeys, run here without Flink) over the journey's current definition, compiled
 * as a start compiles it, with plan version 1. Nothing is stored, published or sent: it never touches Kafka.
 */
@Service
public class JourneyDryRunService {
    private final JourneyService journeys;
    private final long latenessMs;

    public JourneyDryRunService(JourneyService journeys, QaProperties properties) {
        this.journeys = journeys;
        this.latenessMs = properties.journeyDryRun().lateness().toMillis();
    }

    /** The plan to run: 404 for a journey not of the caller's workspace, the start's 409 when it could not start. */
    public JourneyPlan plan(Caller caller, String journeyId) {
        return journeys.dryRunPlan(caller, journeyId);
    }

    /**
     * Runs the plan over the lines, read one at a time (a file is never held whole). A plan the engine would refuse (an
     * audience-triggered journey, a node this engine version does not run) is a 422 with the engine's reason, before
     * anything is read.
     */
    public DryRun.Report run(JourneyPlan plan, Iterator<String> lines) {
        try {
            return DryRun.run(plan, lines, latenessMs, DryRun.Limits.DEFAULT);
        } catch (DryRun.Refused e) {
            throw new ApiException(ProblemCode.VALIDATION, "the journeys engine would not run this journey: " + e.getMessage());
        }
    }

    /** The lines of a reader, read as they are asked for; a leading byte order mark dropped. Read failures are unchecked. */
    static Iterator<String> lines(BufferedReader reader) {
        return new Iterator<>() {
            private String next;
            private boolean first = true;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    try {
                        next = reader.readLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    if (next == null) {
                        done = true;
                    } else if (first && next.startsWith("\uFEFF")) {
                        next = next.substring(1);
                    }
                    first = false;
                }
                return next != null;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String line = next;
                next = null;
                return line;
            }
        };
    }
}
