package dev.qaengine.controlplane.outbox;

import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Wakes the publisher right after a commit that wrote outbox rows, so a change need not wait for the next poll. */
@Component
public class OutboxSignal {
    private final Semaphore permits = new Semaphore(0);

    public void wakeUp() {
        if (permits.availablePermits() == 0) {
            permits.release();
        }
    }

    /** Waits for a wake-up or the timeout, whichever comes first; then forgets any further wake-ups (one round covers them). */
    void await(Duration timeout) throws InterruptedException {
        if (permits.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            permits.drainPermits();
        }
    }
}
