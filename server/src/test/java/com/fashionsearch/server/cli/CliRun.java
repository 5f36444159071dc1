package com.fashionsearch.server.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One run of the {@code fashion} command line inside the test JVM, with its exit code and what it
 * printed on each stream.
 */
record CliRun(int code, String out, String err) {

  static CliRun run(String... args) {
    CommandLine cli = FashionCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
