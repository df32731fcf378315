package io.cairn.fuse.posix;

import java.io.Serializable;

/** The fields of struct statvfs. */
public record FsStat(long bsize, long frsize, long blocks, long bfree, long bavail, long files,
    long ffree, long favail, long flag, long namemax) implements Serializable {}
