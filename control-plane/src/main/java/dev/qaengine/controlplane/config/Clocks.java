package dev.qaengine.controlplane.config;

import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The one clock of the service. Timestamps are UTC and cut to microseconds, the precision PostgreSQL and
 * H2 store, so a value reads back equal to what was written.
 */
@Component
public class Clocks {
    private final Clock clock = Clock.systemUTC();

    public Clock clock() {
        return clock;
    }

    public OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
