package io.cairn.cli;

import io.cairn.client.admin.BrickRef;
import io.cairn.common.CairnException;
import io.cairn.proto.BrickInfo;
import io.cairn.proto.VolumeInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn volume add-brick} and {@code cairn volume remove-brick}, in GlusterFS's grammar. */
final class VolumeBrickCommands {
    private VolumeBrickCommands() {
    }

    /** HOST:/PATH words, with an optional trailing keyword (force, or an action). */
    static List<BrickRef> bricks(AdminCommand cmd, List<String> words) {
        List<BrickRef> out = new ArrayList<>();
        for (String w : words) {
            try {
                out.add(BrickRef.parse(w));
            } catch (CairnException e) {
                throw cmd.usage(e.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw cmd.usage("name at least one brick as HOST:/PATH");
        }
        return out;
    }

    @Command(name = "add-brick", mixinStandardHelpOptions = true,
            description = {"Add bricks to a volume. New chunks are placed on them at once; existing chunks stay",
                    "where they are. Each brick directory must exist and be empty.",
                    "",
                    "Example: cairn volume add-brick vol0 h4:/data/b1 [force]"})
    static final class AddBrick extends VolumeCommand.Named {
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "HOST:/PATH", description = "The new bricks, then 'force' to allow two on one node.")
        List<String> words = new ArrayList<>();

        @Override
        int run() throws Exception {
            boolean force = !words.isEmpty() && words.get(words.size() - 1).equals("force");
            List<BrickRef> refs = bricks(this, force ? words.subList(0, words.size() - 1) : words);
            VolumeInfo v = bricks.add(name, refs, force);
            print(v, "Added " + refs.size() + " brick" + (refs.size() == 1 ? "" : "s") + " to volume " + name
                    + "; it has " + v.getBricksCount() + " now.");
            return 0;
        }
    }

    @Command(name = "remove-brick", mixinStandardHelpOptions = true,
            description = {"Remove bricks from a volume, after moving their replicas to the other bricks.",
                    "",
                    "  ... start    stop placing new chunks there and let repair copy their replicas away",
                    "  ... status   replicas still on each brick (0: ready to commit)",
                    "  ... stop     keep the bricks after all",
                    "  ... commit   take the drained bricks out of the volume ('force': even if not drained;",
                    "               repair then copies what they held from the other replicas)",
                    "",
                    "Example: cairn volume remove-brick vol0 h2:/data/b1 start"})
    static final class RemoveBrick extends VolumeCommand.Named {
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "WORD",
                description = "The bricks as HOST:/PATH, then start, status, stop or commit [force].")
        List<String> words = new ArrayList<>();

        @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation (commit).")
        boolean yes;

        @Override
        int run() throws Exception {
            List<String> w = new ArrayList<>(words);
            boolean force = w.get(w.size() - 1).equals("force");
            if (force) {
                w.remove(w.size() - 1);
            }
            String action = w.isEmpty() ? "" : w.remove(w.size() - 1);
            if (!List.of("start", "status", "stop", "commit").contains(action)) {
                throw usage("end remove-brick with start, status, stop or commit, e.g. cairn volume remove-brick "
                        + name + " HOST:/PATH start");
            }
            if (force && !action.equals("commit")) {
                throw usage("'force' goes with commit only");
            }
            List<BrickRef> refs = bricks(this, w);
            switch (action) {
                case "start" -> print(bricks.drain(name, refs, true), "Started removing " + refs.size() + " brick"
                        + (refs.size() == 1 ? "" : "s") + " from volume " + name + ": repair moves their replicas away."
                        + " Follow it with 'cairn volume remove-brick " + name + " " + String.join(" ", w) + " status'.");
                case "stop" -> print(bricks.drain(name, refs, false), "Stopped removing the bricks; volume " + name
                        + " uses them again.");
                case "status" -> status(refs);
                default -> {
                    confirm(yes, "Remove " + refs.size() + " brick" + (refs.size() == 1 ? "" : "s") + " from volume "
                            + name + (force ? " even if they still hold replicas" : "") + "?", "the bricks stay");
                    print(bricks.remove(name, refs, force), "Removed " + refs.size() + " brick"
                            + (refs.size() == 1 ? "" : "s") + " from volume " + name + "; replica files left in their"
                            + " directories are deleted by garbage collection.");
                }
            }
            return 0;
        }

        private void status(List<BrickRef> refs) throws CairnException {
            Map<BrickInfo, Long> left = bricks.remaining(name, refs);
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                left.forEach((b, n) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("brick", b.getAddress() + ":" + b.getPath());
                    m.put("draining", b.getDraining());
                    m.put("replicas", n);
                    rows.add(m);
                });
                printJson(Map.of("bricks", rows));
                return;
            }
            Table t = new Table("BRICK", "REMOVING", "REPLICAS LEFT");
            left.forEach((b, n) -> t.row(b.getAddress() + ":" + b.getPath(), b.getDraining() ? "yes" : "no", n));
            t.print(out());
            boolean done = left.values().stream().allMatch(n -> n == 0);
            out().println(done ? "Drained: commit with 'cairn volume remove-brick " + name + " ... commit'."
                    : "Not drained yet; repair moves replicas at its pace ('cairn volume heal " + name + " info').");
        }
    }
}
