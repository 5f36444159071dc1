package com.fashionsearch.server.cli;

import com.fashionsearch.bench.check.ExpectedFigure;
import com.fashionsearch.bench.check.ExpectedFigures;
import com.fashionsearch.bench.check.FigureCheck;
import com.fashionsearch.bench.check.ResultLines;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fashion bench check}: compares saved benchmark output with the expected figures of a
 * release (BENCHMARKS.md, "Checking a release").
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Checks saved benchmark output (the key=value lines of eval, bench query, learn, load, embed)"
          + " against the expected figures with their tolerances; exits with 1 if any figure fails"
          + " or is missing.",
      "Ends with: check figures=.. pass=.. fail=.. missing=.."
    })
final class BenchCheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--expected",
      paramLabel = "FILE",
      defaultValue = "benchmarks/expected-figures.tsv",
      description =
          "The expected figures, tab-separated (default: ${DEFAULT-VALUE}, from the repository"
              + " root).")
  Path expected;

  @Option(
      names = "--results",
      paramLabel = "FILE",
      required = true,
      description =
          "The saved output of the commands that produce the figures (e.g. `fashion eval ... | tee"
              + " FILE`).")
  Path results;

  @Option(
      names = "--figures",
      paramLabel = "PREFIX",
      defaultValue = "",
      description = "Check only the figures whose name starts with this (default: all).")
  String prefix;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<ExpectedFigure> figures =
        ExpectedFigures.read(expected).stream().filter(f -> f.name().startsWith(prefix)).toList();
    if (figures.isEmpty()) {
      throw new IllegalArgumentException(
          "no figure in " + expected + " has a name starting with '" + prefix + "'");
    }
    List<FigureCheck.Outcome> outcomes = FigureCheck.check(figures, ResultLines.read(results));
    FigureCheck.print(outcomes, out);
    return FigureCheck.allPass(outcomes) ? 0 : 1;
  }
}
