package com.fashionsearch.server.cli;

import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code fashion} command line: a thin layer over the libraries. Each subcommand is a class of
 * its own. Errors of use (a bad option) exit with 2 and name the option; errors of input (a bad
 * catalog, an incompatible index) exit with 1 and one line naming the problem.
 */
@Command(
    name = "fashion",
    mixinStandardHelpOptions = true,
    versionProvider = FashionCli.Version.class,
    description = "Visual fashion search: index a catalog's images, find visually similar products.",
    subcommands = {
      ReindexCommand.class,
      BenchCommand.class,
      CatalogCommand.class,
      IndexCommand.class,
      SearchCommand.class,
      EvalCommand.class,
      ServeCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class FashionCli implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(FashionCli.class);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code (for tests). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line: errors of input print one line and exit with 1. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new FashionCli());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            LOG.debug("command failed", e);
            err.println("error: " + e.getMessage());
          } else {
            LOG.error("command failed", e);
            err.println("error: " + e);
          }
          err.flush();
          return 1;
        });
    return cli;
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = FashionCli.class.getPackage().getImplementationVersion();
      return new String[] {"fashion " + (v == null ? "(development build)" : v)};
    }
  }
}
