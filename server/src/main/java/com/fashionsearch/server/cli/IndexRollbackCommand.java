package com.fashionsearch.server.cli;

import com.fashionsearch.indexer.IndexGenerations;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fashion index rollback}: makes the previous generation current again, after checking it. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
      "Switches CURRENT back to the previous generation kept beside the current one, after verifying"
          + " its files; a running server moves to it as after a reindex. The next reindex deletes the"
          + " generation rolled back from."
    })
final class IndexRollbackCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--index", required = true, paramLabel = "DIR", description = "The index folder.")
  Path index;

  @Override
  public Integer call() throws Exception {
    IndexGenerations generations = new IndexGenerations(index);
    long from = generations.current().orElseThrow(() -> new IllegalArgumentException(
        "no index at " + generations.root() + " (no " + IndexGenerations.CURRENT + " file)"));
    long to = generations.rollback();
    PrintWriter out = spec.commandLine().getOut();
    out.println("rolled back " + generations.root() + " from generation " + from + " to generation " + to);
    out.flush();
    return 0;
  }
}
