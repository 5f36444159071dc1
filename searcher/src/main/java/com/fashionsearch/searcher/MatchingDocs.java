package com.fashionsearch.searcher;

import java.io.IOException;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;

/** Walks the live documents a filter matches, segment by segment. Stateless, thread-safe. */
final class MatchingDocs {
  /** Receives the matching documents of one segment. */
  interface SegmentVisitor {
    /** Called once per segment with at least one match; {@code doc} is segment-local. */
    void startSegment(LeafReaderContext segment) throws IOException;

    void match(int doc) throws IOException;
  }

  private MatchingDocs() {}

  /** Visits every live document {@code filter} matches (every live document when it is null). */
  static void forEach(IndexSearcher searcher, Query filter, SegmentVisitor visitor) throws IOException {
    Weight weight = weight(searcher, filter);
    for (LeafReaderContext segment : searcher.getIndexReader().leaves()) {
      forEachInRange(weight, segment, 0, segment.reader().maxDoc(), visitor);
    }
  }

  /** The weight that finds the documents {@code filter} matches (every document when it is null). */
  static Weight weight(IndexSearcher searcher, Query filter) throws IOException {
    Query q = searcher.rewrite(filter == null ? new MatchAllDocsQuery() : filter);
    return searcher.createWeight(q, ScoreMode.COMPLETE_NO_SCORES, 1f);
  }

  /**
   * Visits the live documents {@code weight} matches in {@code segment} from {@code from}
   * (inclusive) to {@code to} (exclusive), segment-local; {@code startSegment} is called only when
   * the segment has matches at all.
   */
  static void forEachInRange(Weight weight, LeafReaderContext segment, int from, int to, SegmentVisitor visitor)
      throws IOException {
    ScorerSupplier supplier = weight.scorerSupplier(segment);
    if (supplier == null || from >= to) {
      return;
    }
    DocIdSetIterator it = supplier.get(Long.MAX_VALUE).iterator();
    Bits live = segment.reader().getLiveDocs();
    visitor.startSegment(segment);
    for (int doc = it.advance(from); doc < to; doc = it.nextDoc()) {
      if (live == null || live.get(doc)) {
        visitor.match(doc);
      }
    }
  }
}
