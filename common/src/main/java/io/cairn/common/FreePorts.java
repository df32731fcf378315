package io.cairn.common;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free ports on 127.0.0.1; {@link #pair()} returns a port whose successor is free too. Ports are
 * free when checked, not reserved, so ports already handed out in this JVM (and their
 * successors) are never handed out again: a successor is not bound until its server starts.
 */
public final class FreePorts {
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int pair() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = a.getLocalPort();
                if (port >= 65535 || HANDED_OUT.contains(port) || HANDED_OUT.contains(port + 1)) {
                    continue;
                }
                try (ServerSocket b = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
                    HANDED_OUT.add(port);
                    HANDED_OUT.add(port + 1);
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no two adjacent free ports found on 127.0.0.1");
    }
}
