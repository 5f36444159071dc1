package com.fashionsearch.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.indexer.ProgressListener;
import com.fashionsearch.indexer.ReindexSummary;
import com.fashionsearch.searcher.ContractCatalog;
import com.fashionsearch.searcher.GrayGridEmbedder;
import com.fashionsearch.searcher.SearchFilters;
import com.fashionsearch.searcher.SearchOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Solr reindex killed with SIGKILL mid-run (a child JVM running the product's {@link
 * SolrReindexer}, killed after its third batch reached Solr) leaves the alias on the previous
 * generation, which keeps answering with its old count; the next run completes under a new
 * generation number and deletes the killed run's collection. Runs on the shared test cluster under
 * an alias of its own.
 */
class SolrReindexKillTest {
  private static final String ALIAS = "killed";

  @Test
  void aReindexKilledMidRunLeavesTheAliasOnThePreviousGenerationAndTheRerunCompletes()
      throws Exception {
    SolrTestCloud cloud = SolrTestCloud.get();
    ContractCatalog catalog = cloud.catalog();
    // the previous generation: the first 200 products of fashion-1k (the same images, a shorter
    // styles.csv)
    Path small = cloud.tempDir("kill-small-catalog");
    List<String> lines =
        Files.readAllLines(catalog.catalogDir().resolve("styles.csv"), StandardCharsets.UTF_8);
    Files.write(small.resolve("styles.csv"), lines.subList(0, 201), StandardCharsets.UTF_8);
    Files.createSymbolicLink(
        small.resolve("images"), catalog.catalogDir().resolve("images").toAbsolutePath());
    SolrGenerations generations = new SolrGenerations(cloud.client(), ALIAS);
    // the previous generation holds the small catalog, so that the two generations differ in count
    ReindexSummary smallRun =
        new SolrReindexer(
                new SolrReindexOptions(small, catalog.cacheDir(), 2, 1, 64, false),
                cloud.client(),
                ALIAS,
                GrayGridEmbedder::new,
                ProgressListener.NONE)
            .run();
    long before = smallRun.generation();
    assertEquals(200, smallRun.indexed(), "the small catalog's products (all have images)");

    try (SolrProductSearcher searcher =
        SolrProductSearcher.open(
            SolrTarget.zk(cloud.zkHost(), ALIAS), (m, w) -> new GrayGridEmbedder())) {
      assertEquals(200, searcher.info().documents());
      // the killed run embeds afresh (its own cache), so each batch takes a moment, and pauses
      // after each
      Path cache = cloud.tempDir("kill-cache");
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  KillableSolrReindex.class.getName(),
                  cloud.zkHost(),
                  ALIAS,
                  catalog.catalogDir().toString(),
                  cache.toString(),
                  "300")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      List<String> seen = new ArrayList<>();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          seen.add(line);
          if (line.equals("BATCH 3")) {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
            break;
          }
        }
      }
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child died");
      assertTrue(
          seen.contains("BATCH 3"), "the child reindexed three batches before the kill: " + seen);
      assertFalse(seen.contains("DONE"), "the run was killed before it finished: " + seen);

      assertEquals(
          Optional.of(generations.collection(before)),
          generations.aliasTarget(),
          "the alias did not move");
      assertTrue(
          generations.existing().contains(before + 1),
          "the killed run had created its generation: " + generations.existing());
      assertFalse(searcher.refresh(), "nothing new to move to");
      assertEquals(
          200,
          searcher.facets(SearchFilters.NONE).matching(),
          "the previous generation answers with its old count");
      float[] query = catalog.vectors().values().iterator().next();
      assertEquals(
          10,
          searcher.similarToVector(query, SearchFilters.NONE, SearchOptions.top(10)).hits().size());

      ReindexSummary rerun =
          SolrTestCloud.reindex(cloud.client(), catalog, ALIAS, cache, new GrayGridEmbedder());
      assertEquals(
          before + 2, rerun.generation(), "the killed run's generation number is not reused");
      assertEquals(before, rerun.previous().getAsLong());
      assertEquals(catalog.summary().indexed(), rerun.indexed());
      assertTrue(
          rerun.fromCache() >= 2 * 64,
          "the killed run's embeddings were kept (" + rerun.fromCache() + " from cache)");
      assertEquals(
          List.of(before, before + 2),
          generations.existing(),
          "the killed run's collection is gone");
      assertTrue(searcher.refresh());
      assertEquals(catalog.summary().indexed(), searcher.facets(SearchFilters.NONE).matching());
    }
  }
}
