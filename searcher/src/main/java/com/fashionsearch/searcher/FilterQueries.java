package com.fashionsearch.searcher;

import com.fashionsearch.indexer.IndexSchema;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.queryparser.flexible.core.QueryNodeException;
import org.apache.lucene.queryparser.flexible.standard.StandardQueryParser;
import org.apache.lucene.queryparser.flexible.standard.config.PointsConfig;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.BytesRef;

/**
 * Turns {@link SearchFilters} into a Lucene filter query (an attribute's several values are a set
 * query: any of them matches). The query-syntax filter is parsed with Lucene's {@link
 * StandardQueryParser}: keyword fields are matched exactly (case and spaces kept: {@code
 * articleType:"Sports Shoes"}), {@code year} is numeric ({@code year:[2010 TO 2012]}), {@code text}
 * is the analysed product name; any other field is refused. Thread-safe: a parser is made per call.
 *
 * <p>Public for the other backends (SolrCloud), which validate a filter with {@link #parse(String)}
 * before sending it in the same syntax.
 */
public final class FilterQueries {
  /** The fields a query-syntax filter may name. */
  public static final Set<String> FIELDS;

  static {
    Set<String> fields = new TreeSet<>(IndexSchema.KEYWORD_ATTRIBUTES);
    fields.add(IndexSchema.ID);
    fields.add(IndexSchema.YEAR);
    fields.add(IndexSchema.TEXT);
    FIELDS = java.util.Collections.unmodifiableSet(fields);
  }

  private static final Analyzer ANALYZER =
      new PerFieldAnalyzerWrapper(
          new KeywordAnalyzer(), Map.of(IndexSchema.TEXT, new StandardAnalyzer()));

  /** The analyzer for the product name field. */
  static Analyzer textAnalyzer() {
    return ANALYZER;
  }

  private FilterQueries() {}

  /** At most this many filters' queries are kept; past it the cache starts again empty. */
  static final int MAX_CACHED_QUERIES = 4096;

  /**
   * Queries already built, by filters: a query is immutable and equal filters give equal queries,
   * so a request under filters asked before (they come from the page's menus) reuses the same
   * object, its hash code computed once, instead of building a Boolean query (or parsing an
   * expression) anew; the per-generation filter choices are keyed on it.
   */
  private static final Map<SearchFilters, Optional<Query>> QUERIES = new ConcurrentHashMap<>();

  /**
   * @return the filter, or null when {@code filters} restricts nothing
   * @throws IllegalArgumentException for broken syntax or an unknown field, naming it
   */
  static Query toQuery(SearchFilters filters) {
    Optional<Query> query = QUERIES.get(filters);
    if (query == null) {
      query = Optional.ofNullable(build(filters));
      if (QUERIES.size() >= MAX_CACHED_QUERIES) {
        QUERIES.clear();
      }
      QUERIES.put(filters, query);
    }
    return query.orElse(null);
  }

  private static Query build(SearchFilters filters) {
    List<Query> clauses = new ArrayList<>();
    filters.attributes().forEach((name, values) -> clauses.add(anyOf(name, values)));
    if (filters.yearFrom().isPresent() || filters.yearTo().isPresent()) {
      clauses.add(
          IntField.newRangeQuery(
              IndexSchema.YEAR,
              filters.yearFrom().orElse(Integer.MIN_VALUE),
              filters.yearTo().orElse(Integer.MAX_VALUE)));
    }
    if (!filters.expression().isEmpty()) {
      clauses.add(parse(filters.expression()));
    }
    if (clauses.isEmpty()) {
      return null;
    }
    if (clauses.size() == 1) {
      return clauses.get(0);
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    clauses.forEach(q -> b.add(q, BooleanClause.Occur.FILTER));
    return b.build();
  }

  /** Products whose {@code attribute} has any of {@code values}. */
  private static Query anyOf(String attribute, List<String> values) {
    if (values.size() == 1) {
      return KeywordField.newExactQuery(attribute, values.get(0));
    }
    return KeywordField.newSetQuery(attribute, values.stream().map(BytesRef::new).toList());
  }

  /**
   * Parses a filter in Lucene query syntax.
   *
   * @throws IllegalArgumentException for broken syntax or a field outside {@link #FIELDS}
   */
  public static Query parse(String expression) {
    StandardQueryParser parser = new StandardQueryParser(ANALYZER);
    Map<String, PointsConfig> points = new HashMap<>();
    points.put(
        IndexSchema.YEAR,
        new PointsConfig(NumberFormat.getIntegerInstance(Locale.ROOT), Integer.class));
    parser.setPointsConfigMap(points);
    parser.setAllowLeadingWildcard(false);
    Query query;
    try {
      query = parser.parse(expression, IndexSchema.TEXT);
    } catch (QueryNodeException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot parse filter '" + expression + "': " + firstLine(e.getMessage()), e);
    }
    Set<String> unknown = new TreeSet<>();
    query.visit(
        new QueryVisitor() {
          @Override
          public boolean acceptField(String field) {
            if (!FIELDS.contains(field)) {
              unknown.add(field);
            }
            return true;
          }

          @Override
          public QueryVisitor getSubVisitor(BooleanClause.Occur occur, Query parent) {
            return this;
          }
        });
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown field in filter '"
              + expression
              + "': "
              + String.join(", ", unknown)
              + " (known: "
              + String.join(", ", FIELDS)
              + ")");
    }
    return query;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "syntax error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
