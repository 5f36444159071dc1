package com.fashionsearch.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The options several commands share are declared once: one wording each, defaults per command. */
class SharedOptionsTest {
  @TempDir Path dir;

  @Test
  void eachSharedOptionHasOneWordingPerRoleAndItsCommandsDefault() {
    Map<String, String> wordings = new TreeMap<>();
    Map<String, String> defaults = new TreeMap<>();
    List<CommandLine> commands = new ArrayList<>();
    collect(FashionCli.commandLine(), commands);
    for (CommandLine command : commands) {
      String name = command.getCommandSpec().qualifiedName();
      for (String option : List.of("--weights", "--batch", "--k")) {
        OptionSpec spec = command.getCommandSpec().findOption(option);
        if (spec != null) {
          // the wording without the command's own default
          String wording =
              String.join(" ", spec.description())
                  .replace("(default: " + spec.defaultValueString() + ")", "(default: D)");
          wordings.merge(option + " " + wording, name, (a, b) -> a + ", " + b);
          defaults.put(name + " " + option, spec.defaultValueString());
        }
      }
    }
    // two roles of --weights: the network a command runs, and the query embedder of an index
    assertEquals(
        4,
        wordings.size(),
        "one wording each of --weights (2 roles), --batch and --k: " + wordings);
    assertEquals("16", defaults.get("fashion reindex --batch"));
    assertEquals("8", defaults.get("fashion bench embed --batch"), "the peer script's batch");
    assertEquals("random:42", defaults.get("fashion bench embed --weights"));
    assertEquals("zoo", defaults.get("fashion bench retrieval --weights"));
    assertEquals("5", defaults.get("fashion search --k"));
    assertEquals("10", defaults.get("fashion eval --k"));
    assertEquals("10", defaults.get("fashion bench retrieval --k"));
  }

  @Test
  void weightsWithModelAutoAndAnUnknownModelAreRefusedNamingThem() {
    CliRun auto =
        CliRun.run(
            "reindex",
            "--catalog",
            dir.toString(),
            "--index",
            dir.resolve("ix").toString(),
            "--weights",
            "random:1");
    assertEquals(1, auto.code());
    assertTrue(auto.err().contains("--weights random:1 needs a --model"), auto.err());
    CliRun unknown = CliRun.run("bench", "embed", "--model", "resnet");
    assertEquals(1, unknown.code());
    assertTrue(unknown.err().contains("unknown --model 'resnet'"), unknown.err());
  }

  @Test
  void indexCheckAndRollbackSayWhenTheFolderHoldsNoIndex() {
    for (String command : List.of("check", "rollback")) {
      CliRun r = CliRun.run("index", command, "--index", dir.toString());
      assertEquals(1, r.code(), command);
      assertTrue(r.err().contains("no index at " + dir), r.err());
    }
  }

  private static void collect(CommandLine command, List<CommandLine> into) {
    into.add(command);
    command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
  }
}
