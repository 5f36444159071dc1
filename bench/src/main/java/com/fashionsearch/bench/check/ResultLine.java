package com.fashionsearch.bench.check;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One machine-readable line of a benchmark's output: a first word, then {@code key=value} pairs
 * separated by spaces, e.g. {@code eval k=10 P@10[articleType]=0.636 ...} or {@code ratio
 * strategy=default filter=gender=Women ... speedup=127x}. A pair splits at its first {@code =}, so
 * a value may hold more. Immutable.
 *
 * @param tag the first word, empty when the line starts with a pair
 * @param pairs the pairs in the order printed; a repeated key keeps its last value
 * @param number the line's number in its file, from 1
 */
public record ResultLine(String tag, Map<String, String> pairs, int number) {

  private static final Pattern SPACES = Pattern.compile("\\s+");

  /** Copies the pairs. */
  public ResultLine {
    Objects.requireNonNull(tag, "tag");
    pairs = Collections.unmodifiableMap(new LinkedHashMap<>(pairs));
  }

  /**
   * Parses one line of output, or returns null when it holds no {@code key=value} pair (progress
   * lines, tables, prose).
   */
  public static ResultLine parse(String text, int number) {
    String t = text.strip();
    if (t.isEmpty()) {
      return null;
    }
    String[] tokens = SPACES.split(t);
    int first = 0;
    String tag = "";
    if (!isPair(tokens[0])) {
      tag = tokens[0];
      first = 1;
    }
    Map<String, String> pairs = new LinkedHashMap<>();
    for (int i = first; i < tokens.length; i++) {
      if (!isPair(tokens[i])) {
        return null; // prose with an '=' somewhere is not a result line
      }
      int eq = tokens[i].indexOf('=');
      pairs.put(tokens[i].substring(0, eq), tokens[i].substring(eq + 1));
    }
    return pairs.isEmpty() ? null : new ResultLine(tag, pairs, number);
  }

  private static boolean isPair(String token) {
    return token.indexOf('=') > 0;
  }

  /** Whether this line has the selector's first word and all its pairs. */
  public boolean matches(Selector selector) {
    if (!tag.equals(selector.tag())) {
      return false;
    }
    for (Map.Entry<String, String> c : selector.conditions().entrySet()) {
      if (!c.getValue().equals(pairs.get(c.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Which result lines carry a figure: a first word and the pairs the line must have, written as a
   * result line is ({@code ratio strategy=default filter=none}). Immutable.
   *
   * @param tag the first word
   * @param conditions the pairs the line must have, each with exactly this value
   */
  public record Selector(String tag, Map<String, String> conditions) {

    /** Copies the conditions. */
    public Selector {
      Objects.requireNonNull(tag, "tag");
      conditions = Collections.unmodifiableMap(new LinkedHashMap<>(conditions));
    }

    /**
     * Parses a selector.
     *
     * @throws IllegalArgumentException if it is empty or a word after the first is not a pair
     */
    public static Selector parse(String text) {
      String t = text.strip();
      if (t.isEmpty()) {
        throw new IllegalArgumentException(
            "the line selector is empty: give the result line's first word, e.g. 'eval'");
      }
      String[] tokens = SPACES.split(t);
      if (isPair(tokens[0])) {
        throw new IllegalArgumentException(
            "the line selector must start with the result line's first word, got the pair: '"
                + tokens[0]
                + "'");
      }
      Map<String, String> conditions = new LinkedHashMap<>();
      for (int i = 1; i < tokens.length; i++) {
        if (!isPair(tokens[i])) {
          throw new IllegalArgumentException(
              "the line selector's words after the first must be key=value, got: '"
                  + tokens[i]
                  + "'");
        }
        int eq = tokens[i].indexOf('=');
        conditions.put(tokens[i].substring(0, eq), tokens[i].substring(eq + 1));
      }
      return new Selector(tokens[0], conditions);
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder(tag);
      conditions.forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
      return s.toString();
    }
  }
}
