package io.cairn.common;

import java.util.concurrent.ThreadFactory;

/** Named daemon threads for a component's timers and workers: they never keep a JVM alive. */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
