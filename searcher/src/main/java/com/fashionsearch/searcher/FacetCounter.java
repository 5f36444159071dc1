package com.fashionsearch.searcher;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;

/**
 * Counts the values of every keyword attribute over the documents a filter matches, from the
 * attributes' sorted-set doc values: per segment by ordinal, then merged by value. Not thread-safe:
 * one instance per call.
 */
final class FacetCounter implements MatchingDocs.SegmentVisitor {
  private final Map<String, Map<String, Long>> totals = new LinkedHashMap<>();
  private final List<String> attributes = SearchFilters.FACET_ATTRIBUTES;
  private SortedSetDocValues[] values;
  private long[][] counts;
  private long matching;

  /** Counts over {@code filter} (everything when null). */
  static FacetCounts count(IndexSearcher searcher, Query filter) throws IOException {
    FacetCounter counter = new FacetCounter();
    MatchingDocs.forEach(searcher, filter, counter);
    counter.flush();
    return counter.result();
  }

  private FacetCounter() {
    attributes.forEach(a -> totals.put(a, new HashMap<>()));
  }

  @Override
  public void startSegment(LeafReaderContext segment) throws IOException {
    flush();
    values = new SortedSetDocValues[attributes.size()];
    counts = new long[attributes.size()][];
    for (int i = 0; i < attributes.size(); i++) {
      values[i] = DocValues.getSortedSet(segment.reader(), attributes.get(i));
      counts[i] = new long[(int) values[i].getValueCount()];
    }
  }

  @Override
  public void match(int doc) throws IOException {
    matching++;
    for (int i = 0; i < values.length; i++) {
      if (values[i].advanceExact(doc)) {
        for (int n = 0; n < values[i].docValueCount(); n++) {
          counts[i][(int) values[i].nextOrd()]++;
        }
      }
    }
  }

  private void flush() throws IOException {
    if (values == null) {
      return;
    }
    for (int i = 0; i < values.length; i++) {
      Map<String, Long> total = totals.get(attributes.get(i));
      for (int ord = 0; ord < counts[i].length; ord++) {
        if (counts[i][ord] > 0) {
          total.merge(values[i].lookupOrd(ord).utf8ToString(), counts[i][ord], Long::sum);
        }
      }
    }
    values = null;
  }

  private FacetCounts result() {
    Map<String, Map<String, Long>> sorted = new LinkedHashMap<>();
    totals.forEach(
        (attribute, byValue) -> {
          List<Map.Entry<String, Long>> entries = new ArrayList<>(byValue.entrySet());
          entries.sort(
              Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                  .thenComparing(Map.Entry.comparingByKey()));
          Map<String, Long> ordered = new LinkedHashMap<>();
          entries.forEach(e -> ordered.put(e.getKey(), e.getValue()));
          sorted.put(attribute, ordered);
        });
    return new FacetCounts(matching, sorted);
  }
}
