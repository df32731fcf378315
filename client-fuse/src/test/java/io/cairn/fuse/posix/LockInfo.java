package io.cairn.fuse.posix;

import java.io.Serializable;

/** A struct flock as F_GETLK reports it: the conflicting lock, or type F_UNLCK if none. */
public record LockInfo(short type, long start, long len, int pid) implements Serializable {}
