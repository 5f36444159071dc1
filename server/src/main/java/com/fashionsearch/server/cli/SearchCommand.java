package com.fashionsearch.server.cli;

import com.fashionsearch.models.ImageDecoder;
import com.fashionsearch.models.ImageRejectedException;
import com.fashionsearch.searcher.ProductSearcher;
import com.fashionsearch.searcher.SearchFilters;
import com.fashionsearch.searcher.SearchHit;
import com.fashionsearch.searcher.SearchOptions;
import com.fashionsearch.searcher.SearchResults;
import com.fashionsearch.server.ResultJson;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fashion search}: the products most similar to a product of the index, or to an image. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the products most similar to a product of the index (--id) or to an image (--image),"
          + " optionally filtered. Says so on stderr when the index's weights are untrained.",
      "--k defaults to 5 here, a screenful of neighbours; eval measures at 10."
    })
final class SearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SearcherOptions searcherOptions;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Query query;

  static final class Query {
    @Option(
        names = "--id",
        paramLabel = "ID",
        description = "Products similar to this product (itself excluded).")
    String id;

    @Option(
        names = "--image",
        paramLabel = "FILE",
        description = "Products similar to this image (JPEG, PNG, GIF or BMP).")
    Path image;
  }

  @Mixin TopKOption topK = new TopKOption(5);

  @Option(
      names = "--offset",
      defaultValue = "0",
      description = "Skip this many of the best results (default: ${DEFAULT-VALUE}).")
  int offset;

  @Option(
      names = "--filter",
      paramLabel = "FILTER",
      description =
          "Repeatable. ATTRIBUTE=VALUE keeps products with that value (repeat an attribute for any"
              + " of several values: --filter gender=Men --filter gender=Women; different"
              + " attributes must all match), or a filter in Lucene query syntax, e.g."
              + " 'masterCategory:Footwear AND year:[2012 TO *]' (ANDed with the rest).")
  List<String> filter = new ArrayList<>();

  @Option(names = "--exact", description = "Scan every vector instead of walking the graph.")
  boolean exact;

  @Option(
      names = "--json",
      description = "Print {\"results\":[{\"id\":..,\"score\":..,<attributes>}]}.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    SearchOptions options = new SearchOptions(topK.k, offset, exact);
    SearchFilters filters = parseFilters(filter);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (ProductSearcher searcher = searcherOptions.open()) {
      if (!searcher.info().pretrained()) {
        err.println("WARNING: " + searcher.info().untrainedWarning());
        err.flush();
      }
      long start = System.nanoTime();
      SearchResults results =
          query.id != null
              ? searcher.similarToItem(query.id, filters, options)
              : searcher.similarToImage(decode(query.image), filters, options);
      double tookMs = (System.nanoTime() - start) / 1e6;
      if (json) {
        out.println(
            ResultJson.MAPPER
                .writer()
                .with(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(ResultJson.results(results, tookMs)));
      } else {
        printTable(out, results, tookMs);
      }
      out.flush();
    }
    return 0;
  }

  /**
   * The filters of repeated {@code --filter} options: {@code attribute=value} for a facet attribute
   * (values of one attribute are alternatives), anything else a query-syntax expression (ANDed).
   *
   * @throws IllegalArgumentException for an empty filter
   */
  static SearchFilters parseFilters(List<String> specs) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    SearchFilters filters = SearchFilters.NONE;
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      String attribute = eq > 0 ? spec.substring(0, eq).strip() : "";
      if (SearchFilters.FACET_ATTRIBUTES.contains(attribute)) {
        String value = spec.substring(eq + 1).strip();
        if (value.isEmpty()) {
          throw new IllegalArgumentException(
              "--filter " + spec + " has no value (as in --filter " + attribute + "=VALUE)");
        }
        values.computeIfAbsent(attribute, a -> new ArrayList<>()).add(value);
      } else if (spec.isBlank()) {
        throw new IllegalArgumentException("--filter must not be empty");
      } else {
        filters = filters.andExpression(spec);
      }
    }
    for (Map.Entry<String, List<String>> e : values.entrySet()) {
      filters = filters.anyOf(e.getKey(), e.getValue());
    }
    return filters;
  }

  private static BufferedImage decode(Path file) {
    try {
      return ImageDecoder.decode(file);
    } catch (ImageRejectedException e) {
      throw new IllegalArgumentException(
          "cannot use --image " + file + " (" + e.reason() + "): " + e.getMessage(), e);
    }
  }

  private static void printTable(PrintWriter out, SearchResults results, double tookMs) {
    out.printf(
        Locale.ROOT,
        "%-4s %-8s %-7s %-8s %-12s %-18s %-10s %s%n",
        "rank",
        "id",
        "score",
        "gender",
        "category",
        "articleType",
        "colour",
        "name");
    int rank = 1;
    for (SearchHit hit : results.hits()) {
      var a = hit.item().attributes();
      out.printf(
          Locale.ROOT,
          "%-4d %-8s %-7.4f %-8s %-12s %-18s %-10s %s%n",
          rank++,
          hit.item().id(),
          hit.score(),
          a.get("gender"),
          a.get("masterCategory"),
          a.get("articleType"),
          a.get("baseColour"),
          a.get("productDisplayName"));
    }
    out.printf(
        Locale.ROOT,
        "%d results in %.1f ms (index generation %d, %d products, model %s, weights %s)%n",
        results.hits().size(),
        tookMs,
        results.index().generation(),
        results.index().documents(),
        results.index().modelId(),
        results.index().weightsId());
  }
}
