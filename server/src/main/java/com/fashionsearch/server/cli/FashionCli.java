package com.fashionsearch.server.cli;

import com.fashionsearch.models.Embedders;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code fashion} command line: a thin layer over the libraries. Each subcommand is a class of
 * its own. Errors of use (a bad option) exit with 2 and name the option; errors of input (a bad
 * catalog, an incompatible index, a missing file, weights that cannot be had) exit with 1 and one
 * line naming the problem. The stack trace is printed only with {@code --debug} or {@code
 * FASHION_DEBUG=1}.
 */
@Command(
    name = "fashion",
    mixinStandardHelpOptions = true,
    versionProvider = FashionCli.Version.class,
    description =
        "Visual fashion search: index a catalog's images, find visually similar products.",
    footer = {
      "",
      "Launcher commands (./fashion only):",
      "  build    (re)builds the application without running tests",
      "  test     runs the whole test suite (mvn verify); extra arguments go to Maven",
      "",
      "Every command takes --debug (or FASHION_DEBUG=1) to print a failure's stack trace."
    },
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
  /** The environment variable that turns on stack traces, as {@code --debug} does. */
  static final String DEBUG_ENV = "FASHION_DEBUG";

  @Spec CommandSpec spec;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Print the stack trace of a failure (also FASHION_DEBUG=1).")
  boolean debug;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * Lucene's note, through java.util.logging, that it uses the vector API: nothing a user can act
   * on. Held here so that the level stays set (the logging framework keeps loggers weakly).
   */
  private static final java.util.logging.Logger LUCENE_VECTORIZATION =
      java.util.logging.Logger.getLogger("org.apache.lucene.internal.vectorization");

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    LUCENE_VECTORIZATION.setLevel(java.util.logging.Level.WARNING);
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code (for tests). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line: errors of input print one line and exit with 1. */
  static CommandLine commandLine() {
    // for the help of reindex --model: the order of Embedders.PREFERRED_PRETRAINED, which may
    // change
    System.setProperty(
        "fashion.preferredPretrained", String.join(", then ", Embedders.PREFERRED_PRETRAINED));
    CommandLine cli = new CommandLine(new FashionCli());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          err.println("error: " + oneLine(e));
          if (debugWanted(parseResult)) {
            e.printStackTrace(err);
          } else if (!isInputProblem(e)) {
            err.println("(an unexpected failure: run again with --debug for the stack trace)");
          }
          err.flush();
          return 1;
        });
    return cli;
  }

  /** The message of a failure on one line: the message, or the kind of failure and its subject. */
  static String oneLine(Throwable e) {
    String message = e.getMessage();
    String text;
    if (e instanceof NoSuchFileException) {
      text = "no such file or folder: " + message;
    } else if (e instanceof NotDirectoryException) {
      text = "not a folder: " + message;
    } else if (e instanceof AccessDeniedException) {
      text = "permission denied: " + message;
    } else if (e instanceof FileAlreadyExistsException) {
      text = "exists and is not a folder: " + message;
    } else if (e instanceof FileSystemException fs && fs.getReason() != null) {
      text = fs.getReason() + ": " + fs.getFile();
    } else if (message == null || message.isBlank()) {
      text =
          e.getClass().getSimpleName() + (e.getCause() != null ? ": " + oneLine(e.getCause()) : "");
    } else if (isInputProblem(e)) {
      text = message;
    } else {
      text = e.getClass().getSimpleName() + ": " + message;
    }
    return text.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  private static boolean isInputProblem(Throwable e) {
    return e instanceof IllegalArgumentException
        || e instanceof IllegalStateException
        || e instanceof IOException
        || e instanceof UncheckedIOException;
  }

  private static boolean debugWanted(CommandLine.ParseResult parseResult) {
    String env = System.getenv(DEBUG_ENV);
    if (env != null && !env.isBlank() && !env.equals("0") && !env.equalsIgnoreCase("false")) {
      return true;
    }
    for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
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
