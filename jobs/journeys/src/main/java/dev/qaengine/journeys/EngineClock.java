package dev.qaengine.journeys;

import java.io.Serializable;

/**
 * The wall clock the engine's time follows when events are quiet: waits and windows fire once this clock,
 * less the allowed lateness, passes their deadline — with or without events arriving. Tests substitute a
 * clock they move by hand, so that a 30-minute window closes when the test says, not after 30 minutes.
 */
@FunctionalInterface
public interface EngineClock extends Serializable {
    /** Epoch ms now, or {@link Long#MIN_VALUE} for "no clock" (engine time then follows watermarks alone). */
    long now();

    EngineClock SYSTEM = System::currentTimeMillis;
}
