package io.cairn.client.admin;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;

/**
 * A brick as an admin names it: {@code HOST:/PATH} (the one storage node on HOST) or
 * {@code HOST:PORT:/PATH} (the storage node listening on HOST:PORT).
 *
 * @param host the storage node's host, as it was probed
 * @param port the storage node's port, or 0 when the host alone names the node
 * @param path the brick directory, absolute
 */
public record BrickRef(String host, int port, String path) {
    private static final String FORM = "use HOST:/ABSOLUTE/PATH or HOST:PORT:/ABSOLUTE/PATH, e.g. 10.0.0.5:/data/brick1";

    public static BrickRef parse(String text) throws CairnException {
        int sep = text.indexOf(":/");
        if (sep < 0) {
            String why = text.startsWith("/") ? "it names no host"
                    : text.contains(":") ? "the path after ':' is not absolute" : "it names no host and path";
            throw invalid(text, why);
        }
        String node = text.substring(0, sep);
        String path = text.substring(sep + 1);
        String host = node;
        String port = null;
        if (node.startsWith("[") && node.contains("]")) {
            host = node.substring(0, node.indexOf(']') + 1);
            String rest = node.substring(host.length());
            if (!rest.isEmpty()) {
                port = rest.startsWith(":") ? rest.substring(1) : rest;
            }
        } else if (node.contains(":")) {
            host = node.substring(0, node.indexOf(':'));
            port = node.substring(node.indexOf(':') + 1);
        }
        if (!host.matches("[A-Za-z0-9.\\-_]+|\\[[0-9A-Fa-f:.]+]")) {
            throw invalid(text, host.isEmpty() ? "it names no host" : "'" + host + "' is not a host name or address");
        }
        int p = port == null ? 0 : parsePort(port);
        if (p < 1 && port != null) {
            throw invalid(text, "'" + port + "' is not a port (1 to 65535)");
        }
        return new BrickRef(host, p, path);
    }

    private static int parsePort(String text) {
        try {
            int p = Integer.parseInt(text);
            return p >= 1 && p <= 65535 ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static CairnException invalid(String text, String why) {
        return new CairnException(ErrorCode.INVALID_ARGUMENT, "invalid brick '" + text + "': " + why + "; " + FORM);
    }

    /** HOST:PORT of the node, or HOST when the port is not given. */
    public String node() {
        return port == 0 ? host : host + ":" + port;
    }

    @Override
    public String toString() {
        return node() + ":" + path;
    }
}
