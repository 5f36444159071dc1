package com.fashionsearch.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HelpTextTest {
  @Test
  void everyCommandsHelpRendersWithoutFormatWarnings() {
    List<CommandLine> commands = new ArrayList<>();
    collect(FashionCli.commandLine(), commands);
    assertTrue(commands.size() > 5, "the launcher's commands and subcommands: " + commands.size());
    PrintStream original = System.err;
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
    List<String> failed = new ArrayList<>();
    try {
      for (CommandLine command : commands) {
        String usage = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
        String printed = warnings.toString(StandardCharsets.UTF_8);
        // picocli formats descriptions with String.format: a lone % makes it warn and print them
        // raw
        if (!printed.isEmpty()) {
          failed.add(command.getCommandName() + ": " + printed.lines().findFirst().orElse(""));
        }
        warnings.reset();
        assertFalse(usage.isBlank(), command.getCommandName());
      }
    } finally {
      System.setErr(original);
    }
    assertEquals(List.of(), failed);
  }

  private static void collect(CommandLine command, List<CommandLine> into) {
    into.add(command);
    command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
  }
}
