package io.cairn.fuse;

import io.cairn.common.CairnException;
import io.cairn.common.Errno;
import io.cairn.common.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place an exception becomes the negative errno a FUSE callback returns. */
public final class Errnos {
    private static final Logger log = LoggerFactory.getLogger(Errnos.class);
    /** Where ENOSPC means full bricks (logged, naming them), not a full xattr space (a program's own limit). */
    private static final java.util.Set<String> DATA_OPS = java.util.Set.of("write", "flush", "fsync", "fallocate", "create",
            "copy_file_range");

    private Errnos() {
    }

    /** {@code -errno} for {@code e}: a CairnException's code decides; anything else is a bug, logged, EIO. */
    public static int of(String op, String path, Throwable e) {
        if (e instanceof CairnException c) {
            if (c.code() == ErrorCode.NOT_FOUND || c.code() == ErrorCode.NO_SUCH_ATTRIBUTE) {
                log.trace("{} {}: {}", op, path, c.getMessage());
            } else if (c.code().errno() == Errno.EIO || c.code() == ErrorCode.TIMEOUT || c.code() == ErrorCode.INTERNAL
                    || op.equals("release") || c.code() == ErrorCode.NO_SPACE && DATA_OPS.contains(op)) {
                log.warn("{} {}: {}", op, path, c.toString());
            } else {
                log.debug("{} {}: {}", op, path, c.toString());
            }
            return -c.code().errno();
        }
        log.error("{} {} failed unexpectedly", op, path, e);
        return -Errno.EIO;
    }
}
