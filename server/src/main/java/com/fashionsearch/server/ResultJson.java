package com.fashionsearch.server;

import com.fashionsearch.searcher.CatalogItem;
import com.fashionsearch.searcher.FacetCounts;
import com.fashionsearch.searcher.IndexInfo;
import com.fashionsearch.searcher.SearchHit;
import com.fashionsearch.searcher.SearchResults;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON shapes the HTTP API and {@code fashion search --json} share:
 *
 * <pre>
 * {"results":[{"id":..,"score":..,"gender":..,...,"productDisplayName":..,"image":"/images/ID"}],
 *  "took_ms":..,"index":{"generation":..,"model":..,"weights":..,"pretrained":..},"warning":..}
 * </pre>
 *
 * {@code warning} is present only when the index's weights are untrained. Thread-safe (the mapper
 * is only used to create nodes).
 */
public final class ResultJson {
  /** The shared mapper. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private ResultJson() {}

  /** A page of results. */
  public static ObjectNode results(SearchResults results, double tookMs) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode list = root.putArray("results");
    for (SearchHit hit : results.hits()) {
      ObjectNode item = item(hit.item());
      item.put("score", hit.score());
      list.add(reorderScore(item));
    }
    root.put("took_ms", Math.round(tookMs * 1000) / 1000.0);
    root.set("index", index(results.index()));
    warn(root, results.index());
    return root;
  }

  /** One product: id, every attribute by its {@code styles.csv} name, and its image's URL path. */
  public static ObjectNode item(CatalogItem item) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", item.id());
    item.attributes().forEach(node::put);
    node.put("image", "/images/" + item.id());
    return node;
  }

  /** Facet counts: {@code {"matching":..,"facets":{"gender":{"Men":12,...},...}}}. */
  public static ObjectNode facets(FacetCounts counts, IndexInfo info) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("matching", counts.matching());
    ObjectNode facets = root.putObject("facets");
    counts
        .counts()
        .forEach(
            (attribute, values) -> {
              ObjectNode byValue = facets.putObject(attribute);
              values.forEach(byValue::put);
            });
    root.set("index", index(info));
    warn(root, info);
    return root;
  }

  /** What the index was built from. */
  public static ObjectNode index(IndexInfo info) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("generation", info.generation());
    node.put("documents", info.documents());
    node.put("model", info.modelId());
    node.put("weights", info.weightsId());
    node.put("pretrained", info.pretrained());
    node.put("dimension", info.dimension());
    if (info.learned().isEmpty()) {
      node.putNull("learned");
    } else {
      node.put("learned", info.learned());
    }
    return node;
  }

  private static void warn(ObjectNode root, IndexInfo info) {
    if (!info.pretrained()) {
      root.put("warning", info.untrainedWarning());
    }
  }

  /** Puts {@code score} right after {@code id}, for readability. */
  private static ObjectNode reorderScore(ObjectNode item) {
    ObjectNode ordered = MAPPER.createObjectNode();
    ordered.set("id", item.get("id"));
    ordered.set("score", item.get("score"));
    item.fields()
        .forEachRemaining(
            e -> {
              if (!e.getKey().equals("id") && !e.getKey().equals("score")) {
                ordered.set(e.getKey(), e.getValue());
              }
            });
    return ordered;
  }
}
