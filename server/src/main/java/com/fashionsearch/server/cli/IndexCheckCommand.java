package com.fashionsearch.server.cli;

import com.fashionsearch.indexer.GenerationCheck;
import com.fashionsearch.indexer.IndexGenerations;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code fashion index check}: reads every file of the current generation (and of the previous one,
 * kept for rollback) to its checksum. Exits 0 when the current generation is intact, 1 naming each
 * damaged file otherwise.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Verifies every file of the current index generation against its checksum, and the previous"
          + " generation kept for rollback; names each damaged file and exits 1 if the current one"
          + " is damaged."
    })
final class IndexCheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin IndexFolderOption indexFolder;

  @Override
  public Integer call() throws Exception {
    IndexFolderOption.Current found = indexFolder.current();
    IndexGenerations generations = found.generations();
    long current = found.generation();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long started = System.nanoTime();
    GenerationCheck.Result result = GenerationCheck.check(generations, current);
    print(out, err, "current", result);
    OptionalLong previous = generations.previous();
    if (previous.isPresent()) {
      print(out, err, "previous", GenerationCheck.check(generations, previous.getAsLong()));
    } else {
      out.println("no previous generation kept: fashion index rollback has nothing to go back to");
    }
    out.printf(Locale.ROOT, "checked in %.1f s%n", (System.nanoTime() - started) / 1e9);
    if (!result.intact()) {
      err.println(
          "error: the current generation "
              + current
              + " is damaged: run fashion index rollback --index "
              + indexFolder.index
              + (previous.isPresent() ? "" : " (no previous generation: reindex instead)")
              + ", then reindex");
    }
    out.flush();
    err.flush();
    return result.intact() ? 0 : 1;
  }

  private static void print(
      PrintWriter out, PrintWriter err, String which, GenerationCheck.Result r) {
    if (r.intact()) {
      out.printf(
          Locale.ROOT,
          "%s generation %d (%s): intact, %d files, %.1f MB verified%n",
          which,
          r.generation(),
          r.dir(),
          r.files(),
          r.bytes() / 1e6);
    } else {
      out.printf(
          Locale.ROOT,
          "%s generation %d (%s): DAMAGED, %d of %d files%n",
          which,
          r.generation(),
          r.dir(),
          r.problems().size(),
          r.files());
      r.problems().forEach(p -> err.println("damaged: " + p.file() + ": " + p.reason()));
    }
  }
}
