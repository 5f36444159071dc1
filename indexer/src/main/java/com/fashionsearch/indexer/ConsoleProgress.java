package com.fashionsearch.indexer;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress for people: on a terminal, a bar with items per second and ETA; in a log (no terminal),
 * one line every few seconds with the same figures. Thread-safe (the bar is).
 */
public final class ConsoleProgress implements ProgressListener {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleProgress.class);

  private final boolean terminal;
  private final Duration logInterval;
  private ProgressBar bar;

  /**
   * @param terminal true to draw a bar on standard error, false to log lines
   * @param logInterval how often a log line is written when there is no terminal
   */
  public ConsoleProgress(boolean terminal, Duration logInterval) {
    this.terminal = terminal;
    this.logInterval = logInterval;
  }

  /**
   * Whether standard error is a terminal, as told by the launcher ({@code
   * -Dfashion.terminal=true}): Java 21 cannot ask the OS itself.
   */
  public static boolean stderrIsTerminal() {
    return Boolean.getBoolean("fashion.terminal");
  }

  @Override
  public synchronized void start(String task, long total) {
    ProgressBarBuilder builder =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .showSpeed()
            .setSpeedUnit(ChronoUnit.SECONDS)
            .setUnit(" items", 1);
    if (terminal) {
      builder.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250);
    } else {
      builder
          .setStyle(ProgressBarStyle.ASCII) // plain text in a log: no colour codes
          .setConsumer(new DelegatingProgressBarConsumer(LOG::info))
          .setUpdateIntervalMillis((int) logInterval.toMillis());
    }
    bar = builder.build();
  }

  @Override
  public void advance(long steps) {
    ProgressBar b = bar;
    if (b != null) {
      b.stepBy(steps);
    }
  }

  @Override
  public synchronized void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
