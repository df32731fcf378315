package io.cairn.common;

/** host:port strings as nodes and meta servers are named. */
public final class Addresses {
    private Addresses() {
    }

    public static String host(String address) {
        return address.substring(0, address.lastIndexOf(':'));
    }

    public static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    public static void check(String address) throws CairnException {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "invalid address '" + address + "': expected HOST:PORT, e.g. 10.0.0.5:7100");
        }
        String host = address.substring(0, colon);
        if (!host.matches("[A-Za-z0-9.\\-_]+|\\[[0-9A-Fa-f:.]+]")) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "invalid host '" + host + "' in address '" + address + "'");
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "invalid port in address '" + address + "': use 1 to 65535");
        }
    }
}
