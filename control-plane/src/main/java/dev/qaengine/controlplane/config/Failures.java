package dev.qaengine.controlplane.config;

/** How a failure is told in logs and health details: its root cause, by class and message (never a stack). */
public final class Failures {
    private Failures() {
    }

    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
