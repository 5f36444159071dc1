package com.fashionsearch.server.cli;

import com.fashionsearch.data.Catalog;
import com.fashionsearch.data.CatalogReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fashion catalog check}: reads a catalog as the indexer would and prints what it met. Exits
 * 0 when the catalog could be read (its problems counted in the summary); with {@code --strict},
 * exits 1 at the first problem, naming file, line and reason.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Reads a catalog's styles.csv and images/ and prints the rows read, each problem counted by"
          + " reason, the skipped rows, the ids without an image and the images without a row.",
      "With --strict the first problem fails the check (exit 1) with its file, line and reason."
    })
final class CatalogCheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--catalog",
      required = true,
      paramLabel = "DIR",
      description = "The catalog folder (styles.csv, images/).")
  Path catalog;

  @Option(names = "--strict", description = "Fail at the first problem instead of counting it.")
  boolean strict;

  @Override
  public Integer call() {
    Catalog read = new CatalogReader().read(catalog, strict);
    PrintWriter out = spec.commandLine().getOut();
    out.println("catalog " + catalog + ": " + read.products().size() + " products with an image");
    read.report().summaryLines().forEach(out::println);
    out.flush();
    return 0;
  }
}
