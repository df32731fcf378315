package io.cairn.bench.suite;

/**
 * Where the suite reports what it is doing. Called from the one thread that runs the suite;
 * implementations must be cheap, as {@link #advance} is called once per operation.
 */
public interface Progress {
    /** A workload ({@code index} of {@code total}, from 1) starts its step {@code step}. */
    void step(int index, int total, String workload, String step);

    /** {@code done} of {@code of} operations (or bytes) of the current step are done. */
    void advance(long done, long of);

    /** The suite is over: clear whatever was shown. */
    void finish();

    /** Shows nothing: for scripts, tests and output that is not a terminal. */
    Progress NONE = new Progress() {
        @Override
        public void step(int index, int total, String workload, String step) {
        }

        @Override
        public void advance(long done, long of) {
        }

        @Override
        public void finish() {
        }
    };
}
