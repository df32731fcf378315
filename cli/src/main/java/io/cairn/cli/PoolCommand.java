package io.cairn.cli;

import picocli.CommandLine.Command;

/** {@code cairn pool list}: the storage nodes of the pool (as {@code peer status}, GlusterFS's twin). */
@Command(name = "pool", mixinStandardHelpOptions = true, description = "The pool's storage nodes.",
        subcommands = {PoolCommand.List.class})
final class PoolCommand {
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the storage nodes of the pool with their state and last heartbeat.")
    static final class List extends AdminCommand {
        @Override
        int run() throws Exception {
            return PeerCommand.list(this, false);
        }
    }
}
