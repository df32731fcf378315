package io.cairn.client.fs;

import java.nio.charset.StandardCharsets;

/** Directory entry names the meta service accepts, checked before a change is made ahead of it. */
final class Names {
    static final int NAME_MAX = 255;

    private Names() {
    }

    static boolean valid(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
                && name.indexOf('\0') < 0 && name.getBytes(StandardCharsets.UTF_8).length <= NAME_MAX;
    }
}
