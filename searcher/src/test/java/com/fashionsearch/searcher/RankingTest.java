package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The order, fusion, tie deepening and paging every backend shares, on small hand-made lists. */
class RankingTest {
  private static Ranking.Scored<String> s(String id, double score) {
    return new Ranking.Scored<>("doc-" + id, id, score);
  }

  private static List<String> ids(List<Ranking.Scored<String>> ranked) {
    return ranked.stream().map(Ranking.Scored::id).toList();
  }

  @Test
  void ordersByScoreThenByNumericId() {
    List<Ranking.Scored<String>> ranked =
        new ArrayList<>(List.of(s("10", 1), s("9", 1), s("x", 1), s("3", 2)));
    ranked.sort(Ranking.ORDER);
    assertEquals(List.of("3", "9", "10", "x"), ids(ranked));
  }

  @Test
  void fusionAddsReciprocalRanksAndBreaksTiesById() {
    List<Ranking.Scored<String>> byImage = List.of(s("1", 0.9), s("2", 0.8), s("3", 0.7));
    List<Ranking.Scored<String>> byText = List.of(s("3", 5), s("4", 4));
    List<Ranking.Scored<String>> fused = Ranking.fuse(List.of(byImage, byText));
    // 3: 1/63 + 1/61; 1: 1/61; 2 and 4 tie at 1/62 (second in one list each), 2 before 4 by id
    assertEquals(List.of("3", "1", "2", "4"), ids(fused));
    assertEquals(1.0 / 63 + 1.0 / 61, fused.get(0).score(), 1e-12);
    assertEquals(1.0 / 61, fused.get(1).score(), 1e-12);
    assertEquals(fused.get(2).score(), fused.get(3).score());
    assertEquals("doc-3", fused.get(0).doc());
  }

  @Test
  void asksDeeperWhileTheEnginesCutSplitsATieAtThePageEnd() {
    // 100 products, the first 5 score 2, all others tie at 1; the engine cuts its ties by reverse
    // id,
    // so only a deep enough list holds the tied products with the smallest ids
    List<Ranking.Scored<String>> all = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      all.add(s(Integer.toString(i), i < 5 ? 2 : 1));
    }
    List<Integer> asked = new ArrayList<>();
    SearchOptions options = new SearchOptions(10, 0, false);
    List<Ranking.Scored<String>> ranked =
        Ranking.deepeningPastTies(
            options,
            all.size(),
            depth -> {
              asked.add(depth);
              List<Ranking.Scored<String>> engine = new ArrayList<>(all);
              engine.sort(
                  (a, b) ->
                      a.score() != b.score()
                          ? Double.compare(b.score(), a.score())
                          : Integer.compare(Integer.parseInt(b.id()), Integer.parseInt(a.id())));
              List<Ranking.Scored<String>> cut =
                  new ArrayList<>(engine.subList(0, Math.min(depth, engine.size())));
              cut.sort(Ranking.ORDER);
              return cut;
            });
    assertEquals(List.of(26, 52, 104), asked);
    assertEquals(
        List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), ids(ranked).subList(0, 10));
  }

  @Test
  void stopsAtOnceWhenThePageEndsAboveTheLowestScore() {
    List<Integer> asked = new ArrayList<>();
    Ranking.deepeningPastTies(
        SearchOptions.top(2),
        1000,
        depth -> {
          asked.add(depth);
          return List.of(s("1", 3), s("2", 2), s("3", 1));
        });
    assertEquals(List.of(2 + Ranking.TIE_MARGIN), asked);
  }

  @Test
  void thePageIsCutAtItsOffsetAndLoadsOnlyItsHits() {
    List<Ranking.Scored<String>> ranked = List.of(s("1", 4), s("2", 3), s("3", 2), s("4", 1));
    List<String> loaded = new ArrayList<>();
    List<SearchHit> hits =
        Ranking.page(
            ranked,
            new SearchOptions(2, 1, false),
            doc -> {
              loaded.add(doc);
              return new CatalogItem(doc.substring(4), Map.of(), "");
            });
    assertEquals(List.of("doc-2", "doc-3"), loaded);
    assertEquals(List.of(3.0, 2.0), hits.stream().map(SearchHit::score).toList());
    assertEquals(List.of(), Ranking.page(ranked, new SearchOptions(2, 10, false), doc -> null));
  }
}
