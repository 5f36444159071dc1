package com.fashionsearch.indexer;

import com.fashionsearch.data.CatalogColumns;
import com.fashionsearch.models.learned.ProjectionTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether and how a reindex learns a projection from the catalog's labels ({@link
 * com.fashionsearch.models.learned.LabelProjection}). Immutable and thread-safe.
 *
 * @param mode none, auto (learn {@link #DEFAULT_COLUMNS} when the catalog has labels), the given
 *     columns, or the projection of another index
 * @param columns the label columns to learn, the first the main one (empty for none and from)
 * @param from with {@link Mode#FROM}: the index whose current generation's projection is reused
 * @param seed the training seed
 */
public record LearnOptions(Mode mode, List<String> columns, Optional<Path> from, long seed) {

  /**
   * The label columns learned by default, the first the main one: see docs/benchmarks-history.md,
   * "How the projection was chosen".
   */
  public static final List<String> DEFAULT_COLUMNS =
      List.of("articleType", "subCategory", "gender", "usage", "baseColour");

  /** The default training seed. */
  public static final long DEFAULT_SEED = 42;

  /** No projection: the vectors are the network's own. */
  public static final LearnOptions NONE =
      new LearnOptions(Mode.NONE, List.of(), Optional.empty(), DEFAULT_SEED);

  /** Learn the default columns when the catalog has labels. */
  public static final LearnOptions AUTO =
      new LearnOptions(Mode.AUTO, DEFAULT_COLUMNS, Optional.empty(), DEFAULT_SEED);

  /** What to learn. */
  public enum Mode {
    NONE,
    AUTO,
    COLUMNS,
    FROM
  }

  public LearnOptions {
    Objects.requireNonNull(mode, "mode");
    columns = List.copyOf(columns);
    Objects.requireNonNull(from, "from");
    if ((mode == Mode.COLUMNS || mode == Mode.AUTO) && columns.isEmpty()) {
      throw new IllegalArgumentException("learning needs at least one label column");
    }
    if (mode == Mode.FROM && from.isEmpty()) {
      throw new IllegalArgumentException("learning from another index needs its folder");
    }
  }

  /**
   * Parses {@code --learn}: {@code auto}, {@code none}, or label columns separated by commas (the
   * first the main one).
   *
   * @throws IllegalArgumentException for an unknown column, naming it and the known ones
   */
  public static LearnOptions parse(String spec) {
    String s = Objects.requireNonNull(spec, "spec").strip();
    switch (s.toLowerCase(Locale.ROOT)) {
      case "auto":
        return AUTO;
      case "none":
        return NONE;
      default:
        break;
    }
    List<String> columns = new ArrayList<>();
    for (String part : s.split(",")) {
      String column = part.strip();
      if (!CatalogColumns.ATTRIBUTES.contains(column)
          || column.equals("productDisplayName")
          || column.equals("year")) {
        throw new IllegalArgumentException(
            "--learn takes auto, none or label columns among "
                + DEFAULT_COLUMNS
                + " and season, got: '"
                + column
                + "'");
      }
      if (!columns.contains(column)) {
        columns.add(column);
      }
    }
    return new LearnOptions(Mode.COLUMNS, columns, Optional.empty(), DEFAULT_SEED);
  }

  /** Reuses the projection of {@code index}'s current generation (learned on another catalog). */
  public static LearnOptions from(Path index) {
    return new LearnOptions(Mode.FROM, List.of(), Optional.of(index), DEFAULT_SEED);
  }

  /** The same with another seed. */
  public LearnOptions withSeed(long s) {
    return new LearnOptions(mode, columns, from, s);
  }

  /** The trainer's settings for these columns and seed. */
  public ProjectionTrainer.Settings settings() {
    return ProjectionTrainer.Settings.defaults(columns).withSeed(seed);
  }

  /** {@code none}, {@code auto}, the columns, or {@code from:INDEX}. */
  public String describe() {
    return switch (mode) {
      case NONE -> "none";
      case AUTO -> "auto";
      case COLUMNS -> String.join(",", columns);
      case FROM -> "from:" + from.orElseThrow();
    };
  }
}
