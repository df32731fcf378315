package io.cairn.cli;

import io.cairn.client.admin.VolumeAdmin;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.NodeInfo;
import io.cairn.proto.VolumeInfo;
import io.cairn.proto.VolumeState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn volume}: volumes made of bricks on the pool's storage nodes. */
@Command(name = "volume", mixinStandardHelpOptions = true, description = "Create, start, stop, delete and inspect volumes.",
        subcommands = {VolumeCreateCommand.class, VolumeCommand.Start.class, VolumeCommand.Stop.class,
                VolumeCommand.Delete.class, VolumeCommand.Info.class, VolumeCommand.Status.class,
                VolumeCommand.ListVolumes.class, VolumeCommand.Set.class, VolumeCommand.Get.class,
                VolumeCommand.Heal.class})
final class VolumeCommand {
    /** A command on one volume, named by NAME. */
    abstract static class Named extends AdminCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The volume.")
        String name;

        void print(VolumeInfo v, String sentence) {
            if (json) {
                printJson(VolumeView.json(v, null));
            } else {
                out().println(sentence);
            }
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a volume: clients can mount and use it.")
    static final class Start extends Named {
        @Override
        int run() throws Exception {
            print(volumes.start(name), "Started volume " + name + "; see it with 'cairn volume info " + name + "'.");
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop a volume: clients can no longer use it until it is started again.")
    static final class Stop extends Named {
        @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
        boolean yes;

        @Override
        int run() throws Exception {
            VolumeInfo v = volumes.get(name);
            if (v.getState() != VolumeState.VOLUME_STARTED) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "volume " + name + " is not started; nothing to stop");
            }
            confirm(yes, "Stopping volume " + name + " makes its data inaccessible until it is started again. Stop it?",
                    "volume " + name + " stays started");
            print(volumes.stop(name), "Stopped volume " + name + ".");
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Delete a volume that is not started: its files and its bricks.",
                    "Bricks that held no data are given back to their storage nodes, empty, for reuse."})
    static final class Delete extends Named {
        @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
        boolean yes;

        @Override
        int run() throws Exception {
            VolumeInfo v = volumes.get(name);
            if (v.getState() == VolumeState.VOLUME_STARTED) {
                // The meta service refuses this too; asking first would ask in vain.
                throw new CairnException(ErrorCode.BUSY, "volume " + name
                        + " is started; stop it first with 'cairn volume stop " + name + "'");
            }
            confirm(yes, "Deleting volume " + name + " erases its files and every record of it. Delete it?",
                    "volume " + name + " is not deleted");
            List<String> kept = volumes.delete(name);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("deleted", name);
                m.put("bricks_kept", kept);
                printJson(m);
            } else {
                out().println("Deleted volume " + name + ".");
                kept.forEach(k -> out().println("  note: " + k));
            }
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Show a volume's settings and bricks (all volumes without NAME).")
    static final class Info extends AdminCommand {
        @Parameters(arity = "0..1", paramLabel = "NAME", description = "The volume (default: all).")
        String name;

        @Override
        int run() throws Exception {
            List<VolumeInfo> vols = name == null ? volumes.list() : List.of(volumes.get(name));
            if (json) {
                printJson(Map.of("volumes", vols.stream().map(v -> VolumeView.json(v, null)).toList()));
                return 0;
            }
            if (vols.isEmpty()) {
                out().println("No volumes present; create one with 'cairn volume create NAME replica N HOST:/PATH...'.");
            }
            for (int i = 0; i < vols.size(); i++) {
                if (i > 0) {
                    out().println();
                }
                VolumeView.info(out(), vols.get(i));
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show each brick of a volume with its storage node's state and free space (all volumes without NAME).")
    static final class Status extends AdminCommand {
        @Parameters(arity = "0..1", paramLabel = "NAME", description = "The volume (default: all).")
        String name;

        @Override
        int run() throws Exception {
            List<VolumeInfo> vols = name == null ? volumes.list() : List.of(volumes.get(name));
            List<NodeInfo> nodes = pool.list();
            if (json) {
                printJson(Map.of("volumes", vols.stream().map(v -> VolumeView.json(v, nodes)).toList()));
                return 0;
            }
            if (vols.isEmpty()) {
                out().println("No volumes present.");
            }
            for (int i = 0; i < vols.size(); i++) {
                if (i > 0) {
                    out().println();
                }
                VolumeView.status(out(), vols.get(i), nodes);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the volumes' names.")
    static final class ListVolumes extends AdminCommand {
        @Override
        int run() throws Exception {
            List<String> names = volumes.list().stream().map(VolumeInfo::getName).toList();
            if (json) {
                printJson(Map.of("volumes", names));
            } else if (names.isEmpty()) {
                out().println("No volumes present.");
            } else {
                names.forEach(out()::println);
            }
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set a volume option (or min-size).")
    static final class Set extends Named {
        @Parameters(index = "1", paramLabel = "KEY", description = "The option; 'cairn volume get NAME' lists them.")
        String key;

        @Parameters(index = "2", paramLabel = "VALUE", description = "Its new value.")
        String value;

        @Override
        int run() throws Exception {
            print(volumes.set(name, key, value), "Set " + key + " = " + value + " on volume " + name + ".");
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a volume's options (or one of them).")
    static final class Get extends Named {
        @Parameters(index = "1", arity = "0..1", paramLabel = "KEY", description = "The option (default: all).")
        String key;

        @Override
        int run() throws Exception {
            VolumeInfo v = volumes.get(name);
            Map<String, String> shown = key == null ? VolumeAdmin.settings(v) : Map.of(key, VolumeAdmin.setting(v, key));
            if (json) {
                printJson(shown);
            } else {
                Table t = new Table("OPTION", "VALUE");
                shown.forEach(t::row);
                t.print(out());
            }
            return 0;
        }
    }

    @Command(name = "heal", mixinStandardHelpOptions = true,
            description = "Show the self-heal queue of a volume: chunks that miss replicas or hold corrupt ones, "
                    + "per brick, and what repair has done.")
    static final class Heal extends Named {
        @Parameters(index = "1", paramLabel = "info", description = "What to show; 'info' is the one report.")
        String action;

        @Override
        int run() throws Exception {
            if (!"info".equals(action)) {
                throw usage("unknown heal action '" + action + "'; use: cairn volume heal " + name + " info");
            }
            io.cairn.proto.HealInfo h = volumes.healInfo(name);
            if (json) {
                printJson(HealView.json(h));
            } else {
                HealView.print(out(), h, System.currentTimeMillis());
            }
            return 0;
        }
    }
}
