package dev.qaengine.local;

/** What the local integration tests start, stopped in the order given: each is tried, the first failure is thrown. */
final class Parts {
    private Parts() {
    }

    static void closeInOrder(AutoCloseable... parts) throws Exception {
        Exception first = null;
        for (AutoCloseable p : parts) {
            if (p == null) {
                continue;
            }
            try {
                p.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
