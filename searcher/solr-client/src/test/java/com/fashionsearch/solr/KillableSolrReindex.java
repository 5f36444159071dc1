package com.fashionsearch.solr;

import com.fashionsearch.indexer.ProgressListener;
import com.fashionsearch.searcher.GrayGridEmbedder;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.solr.client.solrj.impl.CloudSolrClient;

/**
 * The product's Solr reindex in its own process, for {@link SolrReindexKillTest} to kill with
 * SIGKILL: after each batch is sent to Solr it prints {@code BATCH n} and pauses, so the test knows
 * the run is under way. Usage: {@code KillableSolrReindex ZK_HOST ALIAS CATALOG CACHE_DIR
 * PAUSE_MS}.
 */
public final class KillableSolrReindex {
  private KillableSolrReindex() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    long pauseMs = Long.parseLong(args[4]);
    ProgressListener progress =
        new ProgressListener() {
          private int batches;

          @Override
          public void start(String task, long total) {
            out.println("START " + task);
          }

          @Override
          public void advance(long steps) {
            out.println("BATCH " + ++batches);
            try {
              Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }

          @Override
          public void close() {}
        };
    try (CloudSolrClient client = SolrTarget.zk(args[0], args[1]).connect()) {
      SolrReindexOptions options =
          new SolrReindexOptions(Path.of(args[2]), Path.of(args[3]), 2, 1, 64, false);
      new SolrReindexer(options, client, args[1], GrayGridEmbedder::new, progress).run();
    }
    out.println("DONE");
  }
}
