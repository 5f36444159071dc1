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
    Query q = searcher.rewrite(filter == null ? new MatchAllDocsQuery() : filter);
    Weight weight = searcher.createWeight(q, ScoreMode.COMPLETE_NO_SCORES, 1f);
    for (LeafReaderContext segment : searcher.getIndexReader().leaves()) {
      ScorerSupplier supplier = weight.scorerSupplier(segment);
      if (supplier == null) {
        continue;
      }
      DocIdSetIterator it = supplier.get(Long.MAX_VALUE).iterator();
      Bits live = segment.reader().getLiveDocs();
      visitor.startSegment(segment);
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        if (live == null || live.get(doc)) {
          visitor.match(doc);
        }
      }
    }
  }
}
