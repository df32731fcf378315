package io.cairn.storage.chunk;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * Tells a full file system apart from other I/O failures. The JDK has no errno on an
 * IOException: a full disk (ENOSPC) or an exhausted quota (EDQUOT) shows only as the C
 * library's message, as the exception's message or as a {@link FileSystemException}'s reason,
 * possibly on a cause.
 */
public final class DiskErrors {
    private static final String ENOSPC = "No space left on device";
    private static final String EDQUOT = "Disk quota exceeded";

    private DiskErrors() {
    }

    /** Whether {@code e} or one of its causes says the file system (or the quota) is full. */
    public static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (says(t.getMessage()) || t instanceof FileSystemException f && says(f.getReason())) {
                return true;
            }
        }
        return false;
    }

    /** One line naming the full brick, what failed and the fix. */
    public static String fullMessage(Path brick, String what, Throwable e) {
        String reason = reason(e);
        return "brick " + brick + " is full (" + reason + "): " + what
                + "; free space on it or add bricks with `cairn volume add-brick`";
    }

    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(EDQUOT)) {
                return EDQUOT;
            }
        }
        return ENOSPC;
    }

    private static boolean says(String message) {
        return message != null && (message.contains(ENOSPC) || message.contains(EDQUOT));
    }
}
