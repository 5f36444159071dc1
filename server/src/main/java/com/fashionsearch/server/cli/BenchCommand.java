package com.fashionsearch.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code fashion bench}: the benchmarks, each printing one machine-readable line per measurement.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks; each prints one machine-readable line per measurement.",
    subcommands = {
      BenchIndexCommand.class,
      BenchQueryCommand.class,
      BenchEmbedCommand.class,
      BenchRetrievalCommand.class,
      BenchLearnCommand.class,
      BenchLoadCommand.class,
      BenchCheckCommand.class,
      CommandLine.HelpCommand.class
    })
final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
