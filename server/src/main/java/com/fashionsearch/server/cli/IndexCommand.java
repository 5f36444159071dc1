package com.fashionsearch.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code fashion index}: commands over a local index folder (its generations and {@code CURRENT}).
 */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description =
        "Commands over a local index folder: check the current generation, roll back to the"
            + " previous one.",
    subcommands = {
      IndexCheckCommand.class,
      IndexRollbackCommand.class,
      CommandLine.HelpCommand.class
    })
final class IndexCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
