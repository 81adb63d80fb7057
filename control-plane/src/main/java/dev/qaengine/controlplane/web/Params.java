package dev.qaengine.controlplane.web;

/** Query parameters of the list endpoints. */
public final class Params {
    private Params() {
    }

    /** An empty or blank filter parameter means no filter ({@code ?name=} lists everything). */
    public static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
