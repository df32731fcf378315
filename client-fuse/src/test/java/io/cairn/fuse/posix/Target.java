package io.cairn.fuse.posix;

import java.nio.file.Path;

/**
 * The file system under test: {@code root} is where every check makes its own directory;
 * {@code secondRoot} shows the same tree through a second client (a second mount of the same
 * volume), or is {@code root} again where there is only one.
 */
public record Target(Path root, Path secondRoot) {
  public boolean hasSecondClient() {
    return !root.equals(secondRoot);
  }
}
