package io.cairn.fuse.posix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one stress-ng run says about itself: bogo ops per stressor (from --metrics-brief),
 * failure lines, and whether it declared success. Pure parsing, unit-tested on real output.
 */
record StressNgReport(int exitCode, Map<String, Long> bogoOps, List<String> failures,
    boolean completed, String output) {

  // "stress-ng: metrc: [7090] hdd                 290      8.74 ..."
  private static final Pattern METRIC =
      Pattern.compile("^stress-ng: metrc: \\[\\d+\\] ([a-z0-9-]+)\\s+(\\d+)\\s+\\d+\\.\\d+\\s");
  private static final Pattern FAILURE =
      Pattern.compile("(stress-ng: fail:|FAILED|unsuccessful run|failed: [1-9]|skipped: [1-9])");

  static StressNgReport parse(int exitCode, String output) {
    Map<String, Long> ops = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    boolean completed = false;
    boolean misc = false;
    for (String line : output.split("\n")) {
      if (line.contains("miscellaneous metrics")) {
        misc = true; // below are derived figures, not bogo ops
      }
      Matcher m = METRIC.matcher(line);
      if (!misc && m.find()) {
        ops.put(m.group(1), Long.parseLong(m.group(2)));
      }
      if (FAILURE.matcher(line).find()) {
        failures.add(line.trim());
      }
      if (line.contains(" successful run completed")) {
        completed = true;
      }
    }
    return new StressNgReport(exitCode, ops, failures, completed, output);
  }

  /** Problems with this run for the given stressors: empty when all is well. */
  List<String> problems(List<String> expectedStressors) {
    List<String> out = new ArrayList<>();
    if (exitCode != 0) {
      out.add("stress-ng exited " + exitCode);
    }
    if (!completed) {
      out.add("no 'successful run completed' line");
    }
    out.addAll(failures);
    for (String s : expectedStressors) {
      Long n = bogoOps.get(s);
      if (n == null) {
        out.add(s + ": no metrics line (not run?)");
      } else if (n == 0) {
        out.add(s + ": 0 bogo ops");
      }
    }
    return out;
  }
}
