package com.fashionsearch.searcher;

import com.fashionsearch.indexer.IndexSchema;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Restrictions on the products a query may return. Within one attribute the values are alternatives
 * ({@code gender} Men or Women); the attributes, the year range and the expression must all hold.
 * Immutable and thread-safe.
 *
 * @param attributes the accepted values by attribute name ({@code gender}, {@code masterCategory},
 *     ..., {@code usage}; the year goes through the range): a product matches an attribute when it
 *     has any of its values. Each list holds at least one value, without repeats, in the order
 *     given
 * @param yearFrom the lowest year, inclusive, if any
 * @param yearTo the highest year, inclusive, if any
 * @param expression a filter in Lucene query syntax over the index's fields ({@code
 *     masterCategory:Footwear AND year:[2010 TO 2012]}), or empty
 */
public record SearchFilters(
    Map<String, List<String>> attributes,
    Optional<Integer> yearFrom,
    Optional<Integer> yearTo,
    String expression) {

  /**
   * The attributes with few distinct values, filtered by exact value and counted as facets: every
   * keyword attribute but the product name ({@code gender}, {@code masterCategory}, {@code
   * subCategory}, {@code articleType}, {@code baseColour}, {@code season}, {@code usage}).
   */
  public static final List<String> FACET_ATTRIBUTES =
      IndexSchema.KEYWORD_ATTRIBUTES.stream()
          .filter(a -> !a.equals(com.fashionsearch.data.CatalogColumns.DISPLAY_NAME))
          .toList();

  /** No restriction. */
  public static final SearchFilters NONE =
      new SearchFilters(Map.of(), Optional.empty(), Optional.empty(), "");

  public SearchFilters {
    Objects.requireNonNull(yearFrom, "yearFrom");
    Objects.requireNonNull(yearTo, "yearTo");
    expression = expression == null ? "" : expression.strip();
    Map<String, List<String>> copy = new LinkedHashMap<>();
    attributes.forEach(
        (name, values) -> {
          if (!IndexSchema.KEYWORD_ATTRIBUTES.contains(name)) {
            throw new IllegalArgumentException(
                "unknown filter attribute: '"
                    + name
                    + "' (known: "
                    + String.join(", ", IndexSchema.KEYWORD_ATTRIBUTES)
                    + ")");
          }
          Objects.requireNonNull(values, name);
          if (values.isEmpty()) {
            throw new IllegalArgumentException("filter attribute '" + name + "' has no value");
          }
          values.forEach(v -> Objects.requireNonNull(v, name));
          copy.put(name, List.copyOf(new LinkedHashSet<>(values)));
        });
    attributes = Collections.unmodifiableMap(copy);
    if (yearFrom.isPresent() && yearTo.isPresent() && yearFrom.get() > yearTo.get()) {
      throw new IllegalArgumentException(
          "year range is empty: from " + yearFrom.get() + " to " + yearTo.get());
    }
  }

  /** A filter in Lucene query syntax only. */
  public static SearchFilters expression(String expression) {
    return new SearchFilters(Map.of(), Optional.empty(), Optional.empty(), expression);
  }

  /** These filters with {@code attribute} restricted to exactly {@code value}. */
  public SearchFilters and(String attribute, String value) {
    return anyOf(attribute, List.of(value));
  }

  /**
   * These filters with {@code attribute} restricted to any of {@code values} (replacing its
   * values).
   */
  public SearchFilters anyOf(String attribute, List<String> values) {
    Map<String, List<String>> more = new LinkedHashMap<>(attributes);
    more.put(attribute, values);
    return new SearchFilters(more, yearFrom, yearTo, expression);
  }

  /** These filters without any restriction on {@code attribute}. */
  public SearchFilters without(String attribute) {
    if (!attributes.containsKey(attribute)) {
      return this;
    }
    Map<String, List<String>> fewer = new LinkedHashMap<>(attributes);
    fewer.remove(attribute);
    return new SearchFilters(fewer, yearFrom, yearTo, expression);
  }

  /** These filters and a year range (either end may be empty). */
  public SearchFilters years(Optional<Integer> from, Optional<Integer> to) {
    return new SearchFilters(attributes, from, to, expression);
  }

  /**
   * These filters and the expression {@code more} (joined with AND to any expression already set).
   */
  public SearchFilters andExpression(String more) {
    String m = more == null ? "" : more.strip();
    if (m.isEmpty()) {
      return this;
    }
    String joined = expression.isEmpty() ? m : "(" + expression + ") AND (" + m + ")";
    return new SearchFilters(attributes, yearFrom, yearTo, joined);
  }

  /**
   * True when a product with these attribute values passes the attribute filters (not the year or
   * expression).
   */
  public boolean acceptsAttributes(Map<String, String> values) {
    for (Map.Entry<String, List<String>> e : attributes.entrySet()) {
      if (!e.getValue().contains(values.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** True when nothing is restricted. */
  public boolean isEmpty() {
    return attributes.isEmpty() && yearFrom.isEmpty() && yearTo.isEmpty() && expression.isEmpty();
  }
}
