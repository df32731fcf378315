package io.cairn.common;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free ports on 127.0.0.1; {@link #pair()} returns a port whose successor is free too. */
public final class FreePorts {
    private FreePorts() {
    }

    public static int pair() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = a.getLocalPort();
                if (port >= 65535) {
                    continue;
                }
                try (ServerSocket b = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no two adjacent free ports found on 127.0.0.1");
    }
}
