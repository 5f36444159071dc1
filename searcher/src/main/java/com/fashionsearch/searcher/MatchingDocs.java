package com.fashionsearch.searcher;

import java.io.IOException;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
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

  /**
   * Receives the matches that have a vector in batches: top-level documents with their vector
   * ordinals, so that their vectors can be read several at a time. Call {@link #flush} after the
   * visit for the last batch. Not thread-safe.
   */
  abstract static class VectorBatches implements SegmentVisitor {
    private final int[] docs;
    private final int[] ords;
    private int pending;
    private KnnVectorValues.DocIndexIterator withVector;
    private int base;

    /**
     * @param size matches per batch
     */
    VectorBatches(int size) {
      docs = new int[size];
      ords = new int[size];
    }

    /**
     * The vectors of a segment about to be visited (null: it has none), whose ordinals batches
     * hold.
     */
    abstract FloatVectorValues vectors(LeafReaderContext segment) throws IOException;

    /**
     * Top-level document {@code docs[i]} has vector ordinal {@code ords[i]}, for {@code i < count}.
     */
    abstract void batch(int[] docs, int[] ords, int count) throws IOException;

    @Override
    public final void startSegment(LeafReaderContext segment) throws IOException {
      flush();
      FloatVectorValues values = vectors(segment);
      withVector = values == null ? null : values.iterator();
      base = segment.docBase;
    }

    @Override
    public final void match(int doc) throws IOException {
      if (withVector == null) {
        return;
      }
      if (withVector.docID() < doc) {
        withVector.advance(doc);
      }
      if (withVector.docID() == doc) {
        docs[pending] = base + doc;
        ords[pending] = withVector.index();
        if (++pending == docs.length) {
          flush();
        }
      }
    }

    /** Hands over the matches not yet batched. */
    final void flush() throws IOException {
      if (pending > 0) {
        batch(docs, ords, pending);
        pending = 0;
      }
    }
  }

  private MatchingDocs() {}

  /** Visits every live document {@code filter} matches (every live document when it is null). */
  static void forEach(IndexSearcher searcher, Query filter, SegmentVisitor visitor)
      throws IOException {
    Weight weight = weight(searcher, filter);
    for (LeafReaderContext segment : searcher.getIndexReader().leaves()) {
      forEachInRange(weight, segment, 0, segment.reader().maxDoc(), visitor);
    }
  }

  /**
   * The weight that finds the documents {@code filter} matches (every document when it is null).
   */
  static Weight weight(IndexSearcher searcher, Query filter) throws IOException {
    Query q = searcher.rewrite(filter == null ? new MatchAllDocsQuery() : filter);
    return searcher.createWeight(q, ScoreMode.COMPLETE_NO_SCORES, 1f);
  }

  /**
   * Visits the live documents {@code weight} matches in {@code segment} from {@code from}
   * (inclusive) to {@code to} (exclusive), segment-local; {@code startSegment} is called only when
   * the segment has matches at all.
   */
  static void forEachInRange(
      Weight weight, LeafReaderContext segment, int from, int to, SegmentVisitor visitor)
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
