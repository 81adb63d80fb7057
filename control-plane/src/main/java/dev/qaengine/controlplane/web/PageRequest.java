package dev.qaengine.controlplane.web;

import java.util.List;

/**
 * Validated paging parameters. Out-of-range values are an error (400 naming the parameter), not silently
 * clamped: a client asking for 10,000 rows should learn the limit.
 */
public record PageRequest(int page, int size) {
    public static final int MAX_SIZE = 200;
    public static final int DEFAULT_SIZE = 20;

    public static PageRequest of(Integer page, Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? DEFAULT_SIZE : size;
        if (p < 0) {
            throw new ApiException(ProblemCode.BAD_PARAMETER, "page: must be 0 or more",
                    List.of(new FieldError("page", "must be 0 or more")));
        }
        if (s < 1 || s > MAX_SIZE) {
            throw new ApiException(ProblemCode.BAD_PARAMETER, "size: must be between 1 and " + MAX_SIZE,
                    List.of(new FieldError("size", "must be between 1 and " + MAX_SIZE)));
        }
        return new PageRequest(p, s);
    }

    public long offset() {
        return (long) page * size;
    }
}
