package io.cairn.fuse.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * stress-ng's file-system stressors inside the target, {@value #BATCH} at a time, for
 * {@code cairn.stressng.seconds} (default 36) in total: no failure, no verify error, and every
 * stressor did at least one bogo op (some silently do nothing when a call is unsupported).
 * A stressor with 0 bogo ops in its batch gets one more run alone for three times as long
 * before it counts as doing nothing: slow is not the same as silent (a hard-link bogo op is
 * thousands of links).
 * A target drops stressors that cannot apply, with the reason, via
 * {@link PosixSuite#droppedStressors()}.
 */
abstract class StressNgChecks extends CheckBase {
  static final int BATCH = 6;

  @Test
  void fileSystemStressorsRunCleanAndAllDoWork() {
    assumeTrue(StressNg.available(), "stress-ng is not installed");
    List<Stressor> stressors = Stressor.FILE_SYSTEM.stream()
        .filter(s -> !target().droppedStressors().containsKey(s.name())).toList();
    target().droppedStressors().forEach((name, why) ->
        System.out.printf("[posix] %s: stress-ng %s dropped: %s%n", target().root(), name, why));
    assumeTrue(!stressors.isEmpty(), "the target dropped every stressor");
    int batches = (stressors.size() + BATCH - 1) / BATCH;
    Duration each = Duration.ofSeconds(
        Math.max(5, Integer.getInteger("cairn.stressng.seconds", 36) / batches));
    root.mkdir(p("files"), 0755);
    for (int i = 0; i < 20; i++) {
      writeFile(p("files/f" + i), new byte[i * 100]);
    }
    List<String> problems = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      List<Stressor> batch = stressors.subList(b * BATCH, Math.min(stressors.size(),
          (b + 1) * BATCH));
      StressNgReport r = StressNg.run(Path.of(dir), Path.of(p("files")), batch, each);
      System.out.printf("[posix] %s: stress-ng %s%n", target().root(), r.bogoOps());
      List<String> found = new ArrayList<>(r.problems(batch.stream().map(Stressor::name)
          .toList()));
      for (Stressor s : batch) {
        if (found.remove(s.name() + ": 0 bogo ops")) {
          StressNgReport alone = StressNg.run(Path.of(dir), Path.of(p("files")), List.of(s),
              each.multipliedBy(3));
          System.out.printf("[posix] %s: stress-ng %s alone: %s%n", target().root(), s.name(),
              alone.bogoOps());
          List<String> again = alone.problems(List.of(s.name()));
          found.addAll(again);
          if (!again.isEmpty()) {
            System.out.println(alone.output());
          }
        }
      }
      if (!found.isEmpty()) {
        problems.addAll(found);
        System.out.println(r.output());
      }
    }
    assertThat(problems).isEmpty();
  }
}
