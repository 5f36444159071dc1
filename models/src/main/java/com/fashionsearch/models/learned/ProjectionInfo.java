package com.fashionsearch.models.learned;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * What a {@link LabelProjection} was trained on and how: the label columns (heads) with their
 * classes, the classes left out as too small, dimensions, blend, epochs, seed, and the figures on
 * the products held out for validation. Immutable and thread-safe.
 *
 * @param heads per label column, in training order
 * @param inputDimension the network embedding's dimension
 * @param visualDimension how many of the embedding's leading dimensions are the network's own image
 *     embedding, the part a blend keeps (the rest, if any, are features for learning only: see
 *     {@link com.fashionsearch.models.ImageEmbedder#visualDimension()})
 * @param projectionDimension the learned embedding's dimension
 * @param space what the learned part of a vector is: the normalised embedding, or the classes'
 *     probabilities
 * @param scale the logit scale of the classifiers on the normalised embedding
 * @param blend the learned part's share of the dot product, in (0, 1]
 * @param epochs passes over the training products
 * @param seed the seed of initialisation, dropout and shuffling
 * @param trainingProducts products the projection was fitted on
 * @param validationProducts products held out to measure it
 * @param validationPrecision P@10 of the first head's label for the validation products searched
 *     among the training products (NaN without validation products)
 * @param seconds training time
 */
public record ProjectionInfo(
    List<Head> heads,
    int inputDimension,
    int visualDimension,
    int projectionDimension,
    Space space,
    double scale,
    double blend,
    int epochs,
    long seed,
    int trainingProducts,
    int validationProducts,
    double validationPrecision,
    double seconds) {

  /**
   * One label column.
   *
   * @param column the catalog column, e.g. {@code articleType}
   * @param weight the weight of its loss
   * @param classes the values learned, in output order
   * @param ignored the values left out (fewer products than the minimum), with their counts
   * @param validationAccuracy the share of validation products whose class it predicts (NaN if
   *     none)
   */
  public record Head(
      String column,
      double weight,
      List<String> classes,
      Map<String, Integer> ignored,
      double validationAccuracy) {
    public Head {
      classes = List.copyOf(classes);
      ignored = Map.copyOf(ignored);
    }
  }

  /** What the learned part of a projected vector is. */
  public enum Space {
    /** The normalised output of the projection layer. */
    EMBEDDING,
    /**
     * Per label column, the square roots of the classes' probabilities (a unit vector), weighted by
     * the square root of the column's share of the loss weights and concatenated: the dot product
     * of two products is the weighted mean over columns of the Bhattacharyya coefficient of their
     * predicted classes.
     */
    CLASSES
  }

  public ProjectionInfo {
    heads = List.copyOf(heads);
    java.util.Objects.requireNonNull(space, "space");
    if (heads.isEmpty()) {
      throw new IllegalArgumentException("a projection needs at least one label column");
    }
    if (visualDimension < 1 || visualDimension > inputDimension) {
      throw new IllegalArgumentException(
          "the visual part must be 1 to "
              + inputDimension
              + " dimensions, got: "
              + visualDimension);
    }
    if (!(blend > 0 && blend <= 1)) {
      throw new IllegalArgumentException("blend must be in (0, 1], got: " + blend);
    }
  }

  /** The label columns, in training order. */
  public List<String> columns() {
    return heads.stream().map(Head::column).toList();
  }

  /** A short description for logs and the index metadata. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    for (Head h : heads) {
      s.append(s.isEmpty() ? "" : ",")
          .append(h.column())
          .append('(')
          .append(h.classes().size())
          .append(')');
    }
    return String.format(
        Locale.ROOT,
        "%s %d%s->%d space=%s blend=%.2f epochs=%d seed=%d",
        s,
        inputDimension,
        visualDimension == inputDimension ? "" : " (visual " + visualDimension + ")",
        projectionDimension,
        space.name().toLowerCase(Locale.ROOT),
        blend,
        epochs,
        seed);
  }

  /** As text properties (stored beside the network). */
  public Properties toProperties() {
    Properties p = new Properties();
    p.setProperty("heads", String.join(",", columns()));
    for (Head h : heads) {
      String k = "head." + h.column() + ".";
      p.setProperty(k + "weight", Double.toString(h.weight()));
      p.setProperty(k + "classes", String.join("|", h.classes()));
      List<String> ignored = new ArrayList<>();
      h.ignored().forEach((name, count) -> ignored.add(name + "=" + count));
      p.setProperty(k + "ignored", String.join("|", ignored));
      p.setProperty(k + "validationAccuracy", Double.toString(h.validationAccuracy()));
    }
    p.setProperty("input.dimension", Integer.toString(inputDimension));
    p.setProperty("visual.dimension", Integer.toString(visualDimension));
    p.setProperty("projection.dimension", Integer.toString(projectionDimension));
    p.setProperty("space", space.name());
    p.setProperty("scale", Double.toString(scale));
    p.setProperty("blend", Double.toString(blend));
    p.setProperty("epochs", Integer.toString(epochs));
    p.setProperty("seed", Long.toString(seed));
    p.setProperty("training.products", Integer.toString(trainingProducts));
    p.setProperty("validation.products", Integer.toString(validationProducts));
    p.setProperty("validation.precisionAt10", Double.toString(validationPrecision));
    p.setProperty("training.seconds", Double.toString(seconds));
    return p;
  }

  /**
   * Reads {@link #toProperties()}.
   *
   * @throws IllegalArgumentException for a missing or malformed value, naming it
   */
  public static ProjectionInfo fromProperties(Properties p) {
    List<Head> heads = new ArrayList<>();
    for (String column : required(p, "heads").split(",")) {
      String k = "head." + column + ".";
      Map<String, Integer> ignored = new LinkedHashMap<>();
      String ig = p.getProperty(k + "ignored", "");
      if (!ig.isEmpty()) {
        for (String entry : ig.split("\\|")) {
          int eq = entry.lastIndexOf('=');
          ignored.put(entry.substring(0, eq), Integer.parseInt(entry.substring(eq + 1)));
        }
      }
      String classes = required(p, k + "classes");
      heads.add(
          new Head(
              column,
              number(p, k + "weight"),
              classes.isEmpty() ? List.of() : Arrays.asList(classes.split("\\|")),
              ignored,
              number(p, k + "validationAccuracy")));
    }
    int input = (int) number(p, "input.dimension");
    // written before intermediate features existed: the whole input is the visual part
    int visual =
        p.getProperty("visual.dimension") == null ? input : (int) number(p, "visual.dimension");
    return new ProjectionInfo(
        heads,
        input,
        visual,
        (int) number(p, "projection.dimension"),
        space(required(p, "space")),
        number(p, "scale"),
        number(p, "blend"),
        (int) number(p, "epochs"),
        (long) number(p, "seed"),
        (int) number(p, "training.products"),
        (int) number(p, "validation.products"),
        number(p, "validation.precisionAt10"),
        number(p, "training.seconds"));
  }

  /** The same info with another space and blend (the trained layers serve both). */
  public ProjectionInfo with(Space otherSpace, double otherBlend) {
    return new ProjectionInfo(
        heads,
        inputDimension,
        visualDimension,
        projectionDimension,
        otherSpace,
        scale,
        otherBlend,
        epochs,
        seed,
        trainingProducts,
        validationProducts,
        validationPrecision,
        seconds);
  }

  private static Space space(String v) {
    try {
      return Space.valueOf(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'space' must be EMBEDDING or CLASSES, got: '" + v + "'", e);
    }
  }

  private static String required(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null) {
      throw new IllegalArgumentException("missing '" + key + "'");
    }
    return v;
  }

  private static double number(Properties p, String key) {
    String v = required(p, key);
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + key + "' is not a number: '" + v + "'", e);
    }
  }
}
