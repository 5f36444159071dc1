package com.fashionsearch.searcher;

import com.fashionsearch.indexer.IndexSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.VectorScorer;
import org.apache.lucene.search.Weight;

/**
 * Scans the quantized vectors of the documents a filter matches and keeps the best by quantized
 * score, to be rescored with the raw floats.
 *
 * <p>On a BBQ field (what {@code fashion reindex} writes for 4096-d vectors), under a filter that
 * matches many documents ({@link #TWO_PASS_MIN_RATIO}), the codes are read by a {@link
 * BinaryCodeScorer} (when the generation's {@link VectorAccess} reaches them), with the query
 * quantized once per segment, and scored in two passes: every match estimated from the query's two
 * high bit planes, then the best {@value #FIRST_PASS_FACTOR} times the candidates asked for scored
 * as Lucene scores them. Otherwise every match goes through Lucene's per-document {@code
 * VectorScorer}.
 *
 * <p>A segment of at least {@value #MIN_PARTITION_DOCS} documents is cut into up to {@code threads}
 * doc-id ranges, run as tasks of the searcher's own {@link org.apache.lucene.search.TaskExecutor}:
 * on several threads when the searcher has an executor, one after the other on the caller's thread
 * when it has none. The result does not depend on the number of ranges.
 *
 * <p>Thread-safe: each scan has its own state.
 */
final class QuantizedScan {
  /** Below this many documents in a segment, one task scans it: a handoff would cost more. */
  static final int MIN_PARTITION_DOCS = 8192;

  /**
   * On a BBQ field, how many times the candidates asked for are kept from the first, estimated pass
   * to be scored fully. With 4 (the best 1,200 of 9,400 to 17,300 matches on the benchmark's
   * catalog), recall@10 after rescoring equalled the full score's (docs/benchmarks-history.md, "A
   * two-pass scan of the BBQ codes").
   */
  static final int FIRST_PASS_FACTOR = 4;

  /**
   * Codes are estimated first only when the filter matches more than this many times the first
   * pass's candidates (7,200 for the 300 of a default query); below, Lucene's scorer scores every
   * match in one pass. The full scores of the candidates the estimate keeps are read out of order,
   * at 2-3 times the cost of a code read in order, so on fewer matches one pass costs less: {@code
   * baseColour=Red} (2,800 matches) was slower in two passes (docs/benchmarks-history.md, "A
   * two-pass scan of the BBQ codes").
   */
  static final int TWO_PASS_MIN_RATIO = 6;

  /** Matches a two-pass scan estimates together, so that consecutive codes are read in runs. */
  static final int ESTIMATE_BATCH = 4 * BinaryCodeScorer.RUN;

  private final int threads;

  /**
   * @param threads how many ranges a large segment is cut into (1: one range per segment)
   */
  QuantizedScan(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got: " + threads);
    }
    this.threads = threads;
  }

  /**
   * The (top-level) documents among those {@code filter} matches (every live document when null)
   * whose quantized vectors score best against {@code vector}, at most {@code size}, in no order.
   * {@code matching} is how many documents the filter matches: on a BBQ field the codes are
   * estimated first only when there are more than {@value #TWO_PASS_MIN_RATIO} times as many as the
   * first pass keeps, and only when {@code access} reaches the codes (otherwise every match is
   * scored by Lucene's scorer, in one pass).
   */
  int[] best(
      IndexSearcher searcher,
      VectorAccess access,
      float[] vector,
      Query filter,
      int size,
      int matching)
      throws IOException {
    boolean twoPasses = matching > (long) TWO_PASS_MIN_RATIO * FIRST_PASS_FACTOR * size;
    Weight weight = MatchingDocs.weight(searcher, filter);
    List<Segment> segments = new ArrayList<>();
    List<Callable<TopScores>> ranges = new ArrayList<>();
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
      if (values == null) {
        continue;
      }
      int maxDoc = leaf.reader().maxDoc();
      int parts =
          maxDoc < MIN_PARTITION_DOCS ? 1 : Math.min(threads, maxDoc / (MIN_PARTITION_DOCS / 2));
      VectorAccess.QuantizedCodes codes = twoPasses ? access.codes(values) : null;
      Segment segment =
          codes != null && BinaryCodeScorer.supports(codes)
              ? new Segment(
                  leaf,
                  values,
                  parts,
                  new BinaryCodeScorer(codes, vector),
                  FIRST_PASS_FACTOR * size)
              : new Segment(leaf, values, parts, null, size);
      for (int p = 0; p < parts; p++) {
        int from = (int) ((long) maxDoc * p / parts);
        int to = (int) ((long) maxDoc * (p + 1) / parts);
        ranges.add(() -> segment.scan(weight, from, to, vector));
      }
      segments.add(segment);
    }
    // invokeAll returns the results in the order of the ranges, as concat needs
    List<TopScores> scanned = searcher.getTaskExecutor().invokeAll(ranges);
    TopScores best = new TopScores(size);
    int next = 0;
    for (Segment segment : segments) {
      segment.offerBest(
          TopScores.concat(scanned.subList(next, next + segment.ranges), segment.keep), best);
      next += segment.ranges;
    }
    return best.docs();
  }

  /**
   * One segment's part of a scan: its ranges keep their best {@code keep} by quantized score (by
   * estimate when {@code codes} is set), then the segment offers its best to the whole scan's.
   */
  private static final class Segment {
    final LeafReaderContext leaf;

    /**
     * Its vectors, for the caller's thread and a lone range: of several ranges, each reads its own
     * instance (sparse ones hold iterator state).
     */
    final FloatVectorValues values;

    final int ranges;

    /**
     * Set when the ranges keep the best estimates, to be scored fully, rather than the best scores.
     */
    final BinaryCodeScorer codes;

    final int keep;

    Segment(
        LeafReaderContext leaf,
        FloatVectorValues values,
        int ranges,
        BinaryCodeScorer codes,
        int keep) {
      this.leaf = leaf;
      this.values = values;
      this.ranges = ranges;
      this.codes = codes;
      this.keep = keep;
    }

    /** The range's matches with a vector, by estimate or by Lucene's score, best {@code keep}. */
    TopScores scan(Weight weight, int from, int to, float[] vector) throws IOException {
      TopScores top = new TopScores(keep);
      if (codes != null) {
        MatchingDocs.VectorBatches estimated =
            new MatchingDocs.VectorBatches(ESTIMATE_BATCH) {
              final float[] estimates = new float[ESTIMATE_BATCH];
              BinaryCodeScorer.Cursor cursor;

              @Override
              FloatVectorValues vectors(LeafReaderContext segment) throws IOException {
                cursor = codes.cursor();
                return rangeValues(segment);
              }

              @Override
              void batch(int[] docs, int[] ords, int count) throws IOException {
                cursor.estimates(ords, count, estimates);
                for (int i = 0; i < count; i++) {
                  top.offer(docs[i], estimates[i]);
                }
              }
            };
        MatchingDocs.forEachInRange(weight, leaf, from, to, estimated);
        estimated.flush();
        return top;
      }
      MatchingDocs.forEachInRange(
          weight,
          leaf,
          from,
          to,
          new MatchingDocs.SegmentVisitor() {
            VectorScorer scorer;
            DocIdSetIterator scored;
            int base;

            @Override
            public void startSegment(LeafReaderContext segment) throws IOException {
              base = segment.docBase;
              scorer = rangeValues(segment).scorer(vector);
              scored = scorer == null ? null : scorer.iterator();
            }

            @Override
            public void match(int doc) throws IOException {
              if (scored == null) {
                return;
              }
              if (scored.docID() < doc) {
                scored.advance(doc);
              }
              if (scored.docID() == doc) {
                top.offer(base + doc, scorer.score());
              }
            }
          });
      return top;
    }

    /**
     * The segment's vectors for one range: its own instance when there are several (sparse ones
     * hold iterator state).
     */
    private FloatVectorValues rangeValues(LeafReaderContext segment) throws IOException {
      return ranges == 1 ? values : segment.reader().getFloatVectorValues(IndexSchema.VECTOR);
    }

    /** Offers the segment's kept documents to {@code best}, scored as Lucene scores them. */
    void offerBest(TopScores kept, TopScores best) throws IOException {
      if (codes == null) {
        kept.offerAllTo(best);
        return;
      }
      KnnVectorValues.DocIndexIterator it = values.iterator();
      BinaryCodeScorer.Cursor cursor = codes.cursor();
      for (int doc : kept.docs()) {
        int local = doc - leaf.docBase;
        if (it.docID() < local) {
          it.advance(local);
        }
        best.offer(doc, cursor.score(it.index()));
      }
    }
  }

  /**
   * Collects (document, score) pairs offered in increasing document order, then keeps the best
   * {@code size}: highest scores, and on equal scores the lower documents. Selection is linear (a
   * quickselect on the scores each time the buffer of {@code 4 * size} fills), not a heap per
   * offer: a broad filter offers tens of thousands, most of which fall below the floor and cost one
   * comparison. Not thread-safe.
   */
  static final class TopScores {
    private final int size;

    /** The buffer grows to this many offers, then is compacted back to {@code size}. */
    private final int capacity;

    private int[] docs;
    private float[] scores;
    private int count;

    /** Once the buffer has filled: an offer at or below this score cannot be among the best. */
    private float floor = Float.NEGATIVE_INFINITY;

    TopScores(int size) {
      this.size = size;
      this.capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(1024L, 4L * size));
      this.docs = new int[Math.min(capacity, 1024)];
      this.scores = new float[docs.length];
    }

    /** Offers a document; documents must come in increasing order (a later one loses a tie). */
    void offer(int doc, float score) {
      if (score <= floor) {
        // the best already hold size documents at or above the floor, all earlier: this one loses
        return;
      }
      if (count == docs.length) {
        if (count < capacity) {
          docs = Arrays.copyOf(docs, (int) Math.min(capacity, 2L * count));
          scores = Arrays.copyOf(scores, docs.length);
        } else {
          compact();
          if (score <= floor) {
            return;
          }
        }
      }
      docs[count] = doc;
      scores[count] = score;
      count++;
    }

    /**
     * Keeps the best {@code size} offers so far, in order, and raises the floor to the lowest of
     * them: what the buffer costs is a selection every {@code 3 * size} offers, not storage for
     * every match of a broad filter.
     */
    private void compact() {
      float threshold = kthLargest(scores, count, size);
      int ties = size - countAbove(threshold);
      int k = 0;
      for (int i = 0; i < count; i++) {
        if (scores[i] > threshold || (scores[i] == threshold && ties-- > 0)) {
          docs[k] = docs[i];
          scores[k] = scores[i];
          k++;
        }
      }
      count = k;
      floor = threshold;
    }

    private int countAbove(float threshold) {
      int above = 0;
      for (int i = 0; i < count; i++) {
        if (scores[i] > threshold) {
          above++;
        }
      }
      return above;
    }

    /** The kept documents, in increasing order. */
    int[] docs() {
      if (count <= size) {
        return Arrays.copyOf(docs, count);
      }
      float threshold = kthLargest(scores, count, size);
      int ties = size - countAbove(threshold);
      int[] kept = new int[size];
      int k = 0;
      for (int i = 0; i < count; i++) {
        if (scores[i] > threshold || (scores[i] == threshold && ties-- > 0)) {
          kept[k++] = docs[i];
        }
      }
      return kept;
    }

    /** Offers every document offered here to {@code other}, in the order they came. */
    void offerAllTo(TopScores other) {
      for (int i = 0; i < count; i++) {
        other.offer(docs[i], scores[i]);
      }
    }

    /**
     * All offers of several collectors, in the order given (their documents must follow each
     * other).
     */
    static TopScores concat(List<TopScores> parts, int size) {
      if (parts.size() == 1) {
        return parts.get(0);
      }
      TopScores all = new TopScores(size);
      for (TopScores p : parts) {
        p.offerAllTo(all);
      }
      return all;
    }

    /**
     * The k-th largest (1-based) of {@code values[0..count)}, which are left as they are: a radix
     * select on the floats' bits, 11 bits at a time, whose passes do not branch on the values (a
     * quickselect's comparisons of near-random floats mispredicted about half the time, 7% of a
     * broad scan). {@code -0f} counts as {@code 0f}; no value may be NaN.
     */
    static float kthLargest(float[] values, int count, int k) {
      if (k < 1 || k > count) {
        throw new IllegalArgumentException("k must be between 1 and " + count + ", got: " + k);
      }
      int[] histogram = new int[1 << 11];
      int[] keys = new int[count];
      for (int i = 0; i < count; i++) {
        keys[i] = key(values[i]);
        histogram[keys[i] >>> 21]++;
      }
      int n = count;
      int prefix = 0;
      int remaining = k;
      for (int shift = 21; ; ) {
        int bucket = histogram.length - 1;
        while (remaining > histogram[bucket]) {
          remaining -= histogram[bucket--];
        }
        prefix |= bucket << shift;
        if (shift == 0) {
          return fromKey(prefix);
        }
        // keep the keys of the chosen bucket, then count their next bits
        int kept = 0;
        int width = shift == 21 ? 11 : 10;
        int next = shift - width;
        int digitMask = (1 << width) - 1;
        Arrays.fill(histogram, 0);
        for (int i = 0; i < n; i++) {
          if (keys[i] >>> shift == prefix >>> shift) {
            keys[kept++] = keys[i];
            histogram[(keys[i] >>> next) & digitMask]++;
          }
        }
        n = kept;
        shift = next;
      }
    }

    /** An int whose unsigned order is the float order: positive floats above negative ones. */
    private static int key(float value) {
      int bits = Float.floatToRawIntBits(value + 0f);
      return bits ^ ((bits >> 31) | 0x80000000);
    }

    private static float fromKey(int key) {
      return Float.intBitsToFloat(key < 0 ? key ^ 0x80000000 : ~key);
    }
  }
}
