package com.fashionsearch.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code fashion index rollback}: makes the previous generation current again, after checking it.
 */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
      "Switches CURRENT back to the previous generation kept beside the current one, after"
          + " verifying its files; a running server moves to it as after a reindex. The next"
          + " reindex deletes the generation rolled back from."
    })
final class IndexRollbackCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin IndexFolderOption indexFolder;

  @Override
  public Integer call() throws Exception {
    IndexFolderOption.Current index = indexFolder.current();
    long to = index.generations().rollback();
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "rolled back "
            + index.generations().root()
            + " from generation "
            + index.generation()
            + " to generation "
            + to);
    out.flush();
    return 0;
  }
}
