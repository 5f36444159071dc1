package com.fashionsearch.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code fashion bench learn} trains on features behind a visual part as the reindex does with
 * MobileNet v1's intermediate layers: the vectors it makes keep only the visual part.
 */
class BenchLearnCommandTest {
  private static final Pattern LINE =
      Pattern.compile("learn n=1500 dim=64 visual_dim=(\\d+) out_dim=(\\d+) epochs=\\d+ .*");

  private static int[] dims(CliRun run) {
    String last = run.out().strip().lines().reduce((a, b) -> b).orElse("");
    Matcher m = LINE.matcher(last);
    assertTrue(m.matches(), run.out() + run.err());
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
  }

  @Test
  void theVisualPartAloneIsBlendedAndABadOneIsRefused() {
    int[] all = dims(CliRun.run("bench", "learn", "--n", "1500", "--dim", "64"));
    int[] visual =
        dims(CliRun.run("bench", "learn", "--n", "1500", "--dim", "64", "--visual-dim", "16"));
    assertEquals(64, all[0]);
    assertEquals(16, visual[0]);
    assertEquals(all[1] - 48, visual[1], "the same classes, 48 fewer network dimensions");
    CliRun bad = CliRun.run("bench", "learn", "--n", "1500", "--dim", "64", "--visual-dim", "65");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--visual-dim must be 1 to --dim (64), got: 65"), bad.err());
  }
}
