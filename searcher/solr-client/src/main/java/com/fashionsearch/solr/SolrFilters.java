package com.fashionsearch.solr;

import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.searcher.FilterQueries;
import com.fashionsearch.searcher.SearchFilters;
import java.util.ArrayList;
import java.util.List;
import org.apache.solr.client.solrj.util.ClientUtils;

/**
 * Turns {@link SearchFilters} into Solr filter queries, one {@code fq} per restriction (each cached
 * by Solr on its own, and all of them the k-NN query's pre-filter). A query-syntax filter is first
 * checked with the local backend's parser, so both backends accept and refuse the same filters with
 * the same messages. Stateless, thread-safe.
 */
final class SolrFilters {
  private SolrFilters() {}

  /**
   * @return the filter queries, products only first
   * @throws IllegalArgumentException for broken syntax or an unknown field, naming it
   */
  static List<String> toFilterQueries(SearchFilters filters) {
    List<String> fqs = new ArrayList<>();
    fqs.add(SolrSchema.PRODUCTS_ONLY);
    filters
        .attributes()
        .forEach(
            (name, values) ->
                fqs.add(
                    values.size() == 1
                        ? "{!term f=" + name + "}" + values.get(0)
                        : name
                            + ":("
                            + String.join(
                                " OR ", values.stream().map(ClientUtils::escapeQueryChars).toList())
                            + ")"));
    if (filters.yearFrom().isPresent() || filters.yearTo().isPresent()) {
      fqs.add(
          IndexSchema.YEAR
              + ":["
              + filters.yearFrom().map(String::valueOf).orElse("*")
              + " TO "
              + filters.yearTo().map(String::valueOf).orElse("*")
              + "]");
    }
    if (!filters.expression().isEmpty()) {
      FilterQueries.parse(filters.expression());
      fqs.add("{!lucene q.op=OR df=" + IndexSchema.TEXT + "}" + filters.expression());
    }
    return fqs;
  }

  /** The filter query that leaves out product {@code id}. */
  static String excluding(String id) {
    return "-" + IndexSchema.ID + ":" + ClientUtils.escapeQueryChars(id);
  }
}
