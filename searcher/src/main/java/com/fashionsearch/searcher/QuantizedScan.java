package com.fashionsearch.searcher;

import com.fashionsearch.indexer.IndexSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.VectorScorer;
import org.apache.lucene.search.Weight;

/**
 * Scans the quantized vectors of the documents a filter matches and keeps the best by quantized
 * score, to be rescored with the raw floats. A segment of at least {@value #MIN_PARTITION_DOCS}
 * documents is cut into up to {@code threads} doc-id ranges, run as tasks of the searcher's own
 * {@link org.apache.lucene.search.TaskExecutor}: on several threads when the searcher has an
 * executor, one after the other on the caller's thread when it has none.
 *
 * <p>Thread-safe: each scan has its own state.
 */
final class QuantizedScan {
  /** Below this many documents in a segment, one task scans it: a handoff would cost more. */
  static final int MIN_PARTITION_DOCS = 8192;

  private final int threads;

  /** @param threads how many ranges a large segment is cut into (1: one range per segment) */
  QuantizedScan(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got: " + threads);
    }
    this.threads = threads;
  }

  /**
   * The (top-level) documents among those {@code filter} matches (every live document when null)
   * whose quantized vectors score best against {@code vector}, at most {@code size}, in no order.
   */
  int[] best(IndexSearcher searcher, float[] vector, Query filter, int size) throws IOException {
    Weight weight = MatchingDocs.weight(searcher, filter);
    List<Callable<TopScores>> ranges = new ArrayList<>();
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      int maxDoc = leaf.reader().maxDoc();
      int parts = maxDoc < MIN_PARTITION_DOCS ? 1 : Math.min(threads, maxDoc / (MIN_PARTITION_DOCS / 2));
      for (int p = 0; p < parts; p++) {
        Range r = new Range(leaf, (int) ((long) maxDoc * p / parts), (int) ((long) maxDoc * (p + 1) / parts));
        ranges.add(() -> scan(r, weight, vector, size));
      }
    }
    // invokeAll returns the results in the order of the ranges, as concat needs
    return TopScores.concat(searcher.getTaskExecutor().invokeAll(ranges), size).docs();
  }

  private record Range(LeafReaderContext leaf, int from, int to) {}

  private static TopScores scan(Range r, Weight weight, float[] vector, int size) throws IOException {
    TopScores top = new TopScores(size);
    MatchingDocs.forEachInRange(weight, r.leaf(), r.from(), r.to(), new MatchingDocs.SegmentVisitor() {
      VectorScorer scorer;
      DocIdSetIterator withVector;
      int base;

      @Override
      public void startSegment(LeafReaderContext segment) throws IOException {
        FloatVectorValues values = segment.reader().getFloatVectorValues(IndexSchema.VECTOR);
        scorer = values == null ? null : values.scorer(vector);
        withVector = scorer == null ? null : scorer.iterator();
        base = segment.docBase;
      }

      @Override
      public void match(int doc) throws IOException {
        if (withVector == null) {
          return;
        }
        if (withVector.docID() < doc) {
          withVector.advance(doc);
        }
        if (withVector.docID() == doc) {
          top.offer(base + doc, scorer.score());
        }
      }
    });
    return top;
  }

  /**
   * Collects (document, score) pairs offered in increasing document order, then keeps the best
   * {@code size}: highest scores, and on equal scores the lower documents. Selection is linear (a
   * quickselect on the scores), not a heap per offer: a broad filter offers tens of thousands. Not
   * thread-safe.
   */
  static final class TopScores {
    private final int size;
    private int[] docs = new int[1024];
    private float[] scores = new float[1024];
    private int count;

    TopScores(int size) {
      this.size = size;
    }

    /** Offers a document; documents must come in increasing order (a later one loses a tie). */
    void offer(int doc, float score) {
      if (count == docs.length) {
        docs = Arrays.copyOf(docs, count * 2);
        scores = Arrays.copyOf(scores, count * 2);
      }
      docs[count] = doc;
      scores[count] = score;
      count++;
    }

    /** The kept documents, in increasing order. */
    int[] docs() {
      if (count <= size) {
        return Arrays.copyOf(docs, count);
      }
      float threshold = kthLargest(Arrays.copyOf(scores, count), size);
      int above = 0;
      for (int i = 0; i < count; i++) {
        if (scores[i] > threshold) {
          above++;
        }
      }
      int ties = size - above;
      int[] kept = new int[size];
      int k = 0;
      for (int i = 0; i < count; i++) {
        if (scores[i] > threshold || (scores[i] == threshold && ties-- > 0)) {
          kept[k++] = docs[i];
        }
      }
      return kept;
    }

    /** All offers of several collectors, in the order given (their documents must follow each other). */
    static TopScores concat(List<TopScores> parts, int size) {
      if (parts.size() == 1) {
        return parts.get(0);
      }
      TopScores all = new TopScores(size);
      for (TopScores p : parts) {
        for (int i = 0; i < p.count; i++) {
          all.offer(p.docs[i], p.scores[i]);
        }
      }
      return all;
    }

    /** The k-th largest of {@code values} (1-based), reordering them. */
    static float kthLargest(float[] values, int k) {
      int lo = 0;
      int hi = values.length - 1;
      int target = k - 1;
      java.util.SplittableRandom random = new java.util.SplittableRandom(values.length);
      while (lo < hi) {
        float pivot = values[lo + random.nextInt(hi - lo + 1)];
        int i = lo;
        int j = hi;
        while (i <= j) {
          while (values[i] > pivot) {
            i++;
          }
          while (values[j] < pivot) {
            j--;
          }
          if (i <= j) {
            float t = values[i];
            values[i] = values[j];
            values[j] = t;
            i++;
            j--;
          }
        }
        if (target <= j) {
          hi = j;
        } else if (target >= i) {
          lo = i;
        } else {
          return values[target];
        }
      }
      return values[target];
    }
  }
}
