package com.fashionsearch.searcher;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ranked result lists as every backend builds them: their order (descending score, then ascending
 * product id by {@link ProductIds#ORDER}), how deep to ask an engine for one page, asking deeper
 * while the engine's cut may split a group of tied scores, reciprocal rank fusion of several lists,
 * and the page cut from a list. The backend supplies the engine's query and the loading of a hit's
 * product; the document handle {@code D} is whatever it loads from (a Lucene doc id, a Solr
 * document). Stateless, thread-safe.
 */
public final class Ranking {
  /** Rank constant of reciprocal rank fusion (Cormack et al.). */
  public static final int RRF_K = 60;

  /** Extra candidates kept beyond the page so that ties at its edge are ordered by id. */
  public static final int TIE_MARGIN = 16;

  /**
   * A candidate: the backend's handle to its document, its product id (null while a backend has not
   * looked it up yet) and its score.
   *
   * @param <D> the backend's document handle
   */
  public record Scored<D>(D doc, String id, double score) {}

  /** The order of every result list: descending score, then ascending product id. */
  public static final Comparator<Scored<?>> ORDER =
      Comparator.<Scored<?>>comparingDouble(Scored::score)
          .reversed()
          .thenComparing(Scored::id, ProductIds.ORDER);

  /** An engine's best {@code depth} results, in {@link #ORDER}. */
  @FunctionalInterface
  public interface Search<D, E extends Exception> {
    List<Scored<D>> best(int depth) throws E;
  }

  /** The product of a document handle. */
  @FunctionalInterface
  public interface Loader<D, E extends Exception> {
    CatalogItem load(D doc) throws E;
  }

  private Ranking() {}

  /**
   * How many results to ask an engine for to fill the page of {@code options}: the page, its offset
   * and a tie margin.
   */
  public static int depth(SearchOptions options) {
    return options.offset() + options.k() + TIE_MARGIN;
  }

  /**
   * The best {@link #depth} results of {@code search}, asked again twice as deep while the engine's
   * cut may have split a group of scores tied with the page's last one (engines break ties their
   * own way, by document or by string id; see {@link ProductIds#mayCutATie}), up to {@code limit}
   * results (the number of documents).
   */
  public static <D, E extends Exception> List<Scored<D>> deepeningPastTies(
      SearchOptions options, int limit, Search<D, E> search) throws E {
    int depth = depth(options);
    List<Scored<D>> ranked = search.best(depth);
    while (cutsATie(ranked, depth, options) && depth < limit) {
      depth *= 2;
      ranked = search.best(depth);
    }
    return ranked;
  }

  private static boolean cutsATie(
      List<? extends Scored<?>> ranked, int asked, SearchOptions options) {
    int pageEnd = options.offset() + options.k();
    return !ranked.isEmpty()
        && pageEnd <= ranked.size()
        && ProductIds.mayCutATie(
            ranked.size(),
            asked,
            ranked.get(ranked.size() - 1).score(),
            ranked.get(pageEnd - 1).score());
  }

  /**
   * Reciprocal rank fusion: each list adds {@code 1 / (RRF_K + rank)} (rank from 1) to a product's
   * score; the result in {@link #ORDER}, each product with the handle of the last list it was in.
   */
  public static <D> List<Scored<D>> fuse(List<List<Scored<D>>> rankings) {
    Map<String, Double> sums = new HashMap<>();
    Map<String, D> docs = new LinkedHashMap<>();
    for (List<Scored<D>> ranking : rankings) {
      for (int rank = 0; rank < ranking.size(); rank++) {
        Scored<D> s = ranking.get(rank);
        sums.merge(s.id(), 1.0 / (RRF_K + rank + 1), Double::sum);
        docs.put(s.id(), s.doc());
      }
    }
    List<Scored<D>> fused = new ArrayList<>(sums.size());
    docs.forEach((id, doc) -> fused.add(new Scored<>(doc, id, sums.get(id))));
    fused.sort(ORDER);
    return fused;
  }

  /** The hits of the page {@code options} asks for, cut from {@code ranked} (in {@link #ORDER}). */
  public static <D, E extends Exception> List<SearchHit> page(
      List<Scored<D>> ranked, SearchOptions options, Loader<D, E> loader) throws E {
    List<SearchHit> hits = new ArrayList<>();
    int end = Math.min(ranked.size(), options.offset() + options.k());
    for (int i = options.offset(); i < end; i++) {
      Scored<D> s = ranked.get(i);
      hits.add(new SearchHit(loader.load(s.doc()), s.score()));
    }
    return hits;
  }
}
