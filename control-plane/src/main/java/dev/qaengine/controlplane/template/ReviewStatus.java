package dev.qaengine.controlplane.template;

import java.util.Optional;

/** A template's or signature's review at its platform (CONTRACTS.md §4: 0 pending, 1 approved, 2 rejected). */
public enum ReviewStatus {
    PENDING(0), APPROVED(1), REJECTED(2);

    private final int platformValue;

    ReviewStatus(int platformValue) {
        this.platformValue = platformValue;
    }

    public int platformValue() {
        return platformValue;
    }

    public static Optional<ReviewStatus> ofPlatform(int value) {
        for (ReviewStatus s : values()) {
            if (s.platformValue == value) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
