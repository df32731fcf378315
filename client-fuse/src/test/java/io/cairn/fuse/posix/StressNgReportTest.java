package io.cairn.fuse.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing stress-ng 0.15 output: zero-op stressors and failures are problems. */
class StressNgReportTest {
  private static final String HEADER = """
      stress-ng: info:  [7090] dispatching hogs: 1 hdd, 1 fallocate, 1 flock
      stress-ng: metrc: [7090] stressor       bogo ops real time  usr time  sys time   bogo ops/s     bogo ops/s
      stress-ng: metrc: [7090]                           (secs)    (secs)    (secs)   (real time) (usr+sys time)
      """;

  private record Case(String name, int exit, String body, List<String> problems) {}

  @Test
  void problemsAreFound() {
    List<Case> cases = List.of(
        new Case("all good", 0, """
            stress-ng: metrc: [7090] hdd                 290      8.74      0.02      0.03        33.17        6207.46
            stress-ng: metrc: [7090] fallocate             7      8.69      0.00      0.03         0.00           0.00
            stress-ng: metrc: [7090] flock           3022374      8.88      0.73      2.25    340295.18     1013334.33
            stress-ng: metrc: [7090] miscellaneous metrics:
            stress-ng: metrc: [7090] hdd                  104.49 MB/sec read rate (geometic mean of 1 instances)
            stress-ng: info:  [7090] successful run completed in 13.27s
            """, List.of()),
        new Case("a stressor silently did nothing", 0, """
            stress-ng: metrc: [7090] hdd                 290      8.74      0.02      0.03        33.17        6207.46
            stress-ng: metrc: [7090] fallocate             0      8.69      0.00      0.03         0.00           0.00
            stress-ng: metrc: [7090] flock                 5      8.88      0.73      2.25    340295.18     1013334.33
            stress-ng: info:  [7090] successful run completed in 13.27s
            """, List.of("fallocate: 0 bogo ops")),
        new Case("a verify failure", 2, """
            stress-ng: fail:  [7111] hdd: detected 4096 bytes of corrupt data
            stress-ng: metrc: [7090] hdd                 290      8.74      0.02      0.03        33.17        6207.46
            stress-ng: metrc: [7090] fallocate             7      8.69      0.00      0.03         0.00           0.00
            stress-ng: info:  [7090] unsuccessful run completed in 13.27s
            """, List.of("stress-ng exited 2", "no 'successful run completed' line",
            "stress-ng: fail:  [7111] hdd: detected 4096 bytes of corrupt data",
            "stress-ng: info:  [7090] unsuccessful run completed in 13.27s",
            "flock: no metrics line (not run?)")));
    for (Case c : cases) {
      StressNgReport r = StressNgReport.parse(c.exit(), HEADER + c.body());
      assertThat(r.problems(List.of("hdd", "fallocate", "flock"))).as(c.name())
          .containsExactlyInAnyOrderElementsOf(c.problems());
    }
  }
}
