package io.cairn.fuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a directory is a mount point, from the kernel's mount table (/proc/self/mountinfo). */
public final class MountTable {
    private MountTable() {
    }

    /**
     * Whether a Cairn FUSE mount (type fuse.cairn) is on {@code dir}: one whose process is gone
     * may be detached; anything else mounted there is somebody else's and must be left alone.
     */
    public static boolean isCairnMount(Path dir) {
        try {
            return "fuse.cairn".equals(fsType(Files.readString(Path.of("/proc/self/mountinfo")),
                    dir.toAbsolutePath().normalize().toString()));
        } catch (IOException e) {
            return false;
        }
    }

    /** Pure: the type of the file system mounted last on {@code dir} (the field after " - "), or null. */
    public static String fsType(String mountinfo, String dir) {
        String type = null;
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            int sep = java.util.Arrays.asList(f).indexOf("-");
            if (f.length > 4 && sep > 4 && sep + 1 < f.length && unescape(f[4]).equals(dir)) {
                type = f[sep + 1];  // a later line is a mount on top of an earlier one
            }
        }
        return type;
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
