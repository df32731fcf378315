package io.cairn.fuse.posix;

import java.nio.file.Path;
import java.util.Map;

/**
 * The file system under test: {@code root} is where every check makes its own directory;
 * {@code secondRoot} shows the same tree through a second client (a second mount of the same
 * volume), or is {@code root} again where there is only one. {@code knownDeviations} maps
 * "CheckClass.method" to why this target is known to fail that check (see
 * {@link KnownDeviations}); {@code droppedStressors} maps stress-ng stressor names the target
 * cannot run to why.
 */
public record Target(Path root, Path secondRoot, Map<String, String> knownDeviations,
    Map<String, String> droppedStressors) {
  public boolean hasSecondClient() {
    return !root.equals(secondRoot);
  }
}
