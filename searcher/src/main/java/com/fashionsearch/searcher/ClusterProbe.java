package com.fashionsearch.searcher;

import com.fashionsearch.indexer.VectorClusters;
import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.NumericUtils;
import org.apache.lucene.util.VectorUtil;

/**
 * The candidates of a k-NN query under a filter, taken from a generation's {@link VectorClusters}:
 * the filter's matches in the clusters whose centroids are nearest the query, cluster after
 * cluster, until there are enough; the caller scores them exactly. This is an inverted-file search
 * (as FAISS's IVF) under the filter: its cost follows the candidates asked for, not the filter's
 * size, and since it scores raw vectors it loses no recall to quantization.
 *
 * <p>A filter that matches nothing near the query (a shirt under {@code masterCategory=Footwear})
 * costs no more: clusters without matches add nothing, and the probe goes on to the nearest
 * clusters that have some.
 *
 * <p>Thread-safe: immutable.
 */
final class ClusterProbe {
  private final float[][] centroids;
  private final short[] clusterOf;

  ClusterProbe(VectorClusters clusters) {
    this.centroids = clusters.centroids();
    this.clusterOf = clusters.clusterOf();
  }

  /** How many clusters. */
  int clusters() {
    return centroids.length;
  }

  /**
   * A filter's matches grouped by cluster: {@code docs[start[c]..start[c + 1])} are cluster {@code
   * c}'s, ascending. Kept with the filter's choice ({@link OpenGeneration.FilterChoice#grouped}),
   * so that a query under a filter seen before neither runs it nor groups its matches again.
   */
  record Grouped(int[] docs, int[] start) {
    /** The bytes the arrays hold. */
    long bytes() {
      return 4L * (docs.length + start.length);
    }
  }

  /** The bytes {@link #group} takes for a filter of {@code matching} documents. */
  long groupedBytes(int matching) {
    return 4L * (matching + centroids.length + 1);
  }

  /** {@code matches} (ascending top-level doc ids) grouped by cluster. */
  Grouped group(int[] matches) {
    int n = centroids.length;
    int[] start = new int[n + 1];
    for (int doc : matches) {
      start[clusterOf[doc] + 1]++;
    }
    for (int c = 0; c < n; c++) {
      start[c + 1] += start[c];
    }
    // a counting sort, stable: ascending docs within a cluster
    int[] grouped = new int[matches.length];
    int[] fill = Arrays.copyOf(start, n);
    for (int doc : matches) {
      grouped[fill[clusterOf[doc]]++] = doc;
    }
    return new Grouped(grouped, start);
  }

  /**
   * At least {@code wanted} of the documents {@code filter} matches (all of them when they are
   * fewer), from the clusters nearest {@code vector}: every match of each cluster taken, nearest
   * cluster first. Ascending top-level doc ids.
   *
   * @param matching how many documents the filter matches
   */
  int[] candidates(IndexSearcher searcher, Query filter, int matching, float[] vector, int wanted)
      throws IOException {
    int[] matches = KnnPlanner.listMatches(searcher, filter, matching);
    if (matches.length <= wanted) {
      return matches;
    }
    return candidates(group(matches), vector, wanted);
  }

  /** As {@link #candidates(IndexSearcher, Query, int, float[], int)}, from grouped matches. */
  int[] candidates(Grouped matches, float[] vector, int wanted) {
    int[] start = matches.start();
    int[] grouped = matches.docs();
    if (grouped.length <= wanted) {
      int[] all = grouped.clone();
      Arrays.sort(all);
      return all;
    }
    // clusters by descending centroid score, ties by cluster number
    int n = centroids.length;
    long[] order = new long[n];
    for (int c = 0; c < n; c++) {
      float score = VectorUtil.dotProduct(vector, centroids[c]);
      order[c] = ((long) NumericUtils.floatToSortableInt(-score) << 32) | c;
    }
    Arrays.sort(order);
    int[] picked = new int[grouped.length];
    int count = 0;
    for (int i = 0; i < n && count < wanted; i++) {
      int c = (int) order[i];
      int size = start[c + 1] - start[c];
      System.arraycopy(grouped, start[c], picked, count, size);
      count += size;
    }
    int[] result = Arrays.copyOf(picked, count);
    Arrays.sort(result);
    return result;
  }
}
