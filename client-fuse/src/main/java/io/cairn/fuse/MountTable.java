package io.cairn.fuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a directory is a mount point, from the kernel's mount table (/proc/self/mountinfo). */
public final class MountTable {
    private MountTable() {
    }

    public static boolean isMounted(Path dir) {
        try {
            return isMounted(Files.readString(Path.of("/proc/self/mountinfo")), dir.toAbsolutePath().normalize().toString());
        } catch (IOException e) {
            return false;
        }
    }

    /** Pure: whether the mountinfo text lists {@code dir} as a mount point (field 5, octal escapes undone). */
    public static boolean isMounted(String mountinfo, String dir) {
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 4 && unescape(f[4]).equals(dir)) {
                return true;
            }
        }
        return false;
    }

    static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
