package com.fashionsearch.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code fashion catalog}: commands over a catalog folder ({@code styles.csv} and {@code images/}).
 */
@Command(
    name = "catalog",
    mixinStandardHelpOptions = true,
    description = "Commands over a catalog folder (styles.csv and images/).",
    subcommands = {CatalogCheckCommand.class, CommandLine.HelpCommand.class})
final class CatalogCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
