package com.fashionsearch.solr;

import com.fashionsearch.indexer.IndexMetadata;
import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.models.Embedders;
import com.fashionsearch.searcher.CatalogItem;
import com.fashionsearch.searcher.EmbedderFactory;
import com.fashionsearch.searcher.FacetCounts;
import com.fashionsearch.searcher.IndexInfo;
import com.fashionsearch.searcher.ProductSearcher;
import com.fashionsearch.searcher.QueryImageEncoders;
import com.fashionsearch.searcher.Ranking;
import com.fashionsearch.searcher.SearchFilters;
import com.fashionsearch.searcher.SearchHit;
import com.fashionsearch.searcher.SearchOptions;
import com.fashionsearch.searcher.SearchResults;
import com.fashionsearch.searcher.SearchText;
import com.fashionsearch.searcher.UnknownProductException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.client.solrj.response.json.BucketBasedJsonFacet;
import org.apache.solr.client.solrj.response.json.BucketJsonFacet;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ProductSearcher} over a SolrCloud collection alias: searches the generation the alias
 * pointed to at the last {@link #refresh()}, by that generation's collection name, so a query that
 * started on a generation finishes on it (the reindex keeps the previous generation).
 *
 * <p>k-NN is Solr's {@code {!knn f=embedding topK=..}}, sent by POST (a 4096-float vector does not
 * fit in a URL), with one {@code fq} per filter: Solr makes the filters the k-NN query's
 * pre-filter, so the graph walk visits matching products only. {@code topK} (at least 100, for
 * recall) applies per shard; Solr merges the shards' candidates, returns the best {@code offset +
 * k} and a margin, and those are sorted (score, then id) and cut to the page; the shards send their
 * candidates' fields in the same round trip ({@code distrib.singlePass}). Exact mode scores every
 * filtered product with {@code vectorSimilarity(..)}. Facets are Solr JSON facets; text is BM25
 * over the analysed name; hybrid fuses both rankings by reciprocal rank like the local backend.
 * Errors: a query Solr refuses (HTTP 400) becomes an {@link IllegalArgumentException} naming the
 * value; an unreachable cluster, or a shard none of whose replicas answers within the timeout
 * ({@link #DEFAULT_TIMEOUT}), an {@link UncheckedIOException} naming the collection and Solr's
 * reason. A shard with a live replica keeps answering when another of its replicas dies: SolrJ and
 * the coordinating node move to the next replica. No query asks for {@code shards.tolerant}: an
 * answer is complete or an error, never silently missing a shard.
 *
 * <p>Thread-safe: one instance serves every request (SolrJ's client is thread-safe).
 */
public final class SolrProductSearcher implements ProductSearcher {
  private static final Logger LOG = LoggerFactory.getLogger(SolrProductSearcher.class);

  /** The least topK a graph query asks for: more candidates, better recall. */
  static final int MIN_CANDIDATES = 100;

  private static final String RESULT_FIELDS;

  /**
   * Solr's parameter for a one-phase distributed query (fields fetched with the ids and scores).
   */
  static final String DISTRIB_SINGLE_PASS = "distrib.singlePass";

  static {
    List<String> fields = new ArrayList<>();
    fields.add(IndexSchema.ID);
    fields.add("score");
    fields.add(IndexSchema.IMAGE);
    fields.addAll(IndexSchema.ATTRIBUTES);
    RESULT_FIELDS = String.join(",", new java.util.LinkedHashSet<>(fields));
  }

  private final SolrClient client;
  private final boolean ownsClient;
  private final SolrGenerations generations;
  private final AtomicReference<Generation> current = new AtomicReference<>();
  private final QueryImageEncoders encoders;
  private final ReentrantLock refreshLock = new ReentrantLock();
  private volatile boolean closed;

  /** One generation: its collection and what it was built from. */
  private record Generation(String collection, IndexMetadata metadata, IndexInfo info) {}

  private SolrProductSearcher(
      SolrClient client, boolean ownsClient, String alias, EmbedderFactory embedders) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.generations = new SolrGenerations(client, alias);
    this.encoders = new QueryImageEncoders(embedders);
  }

  /**
   * How long one request to the cluster may take by default, connecting included, before it fails.
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Connects to {@code target} and opens its alias's current generation; the searcher owns the
   * client, whose requests give up after {@link #DEFAULT_TIMEOUT}.
   *
   * @throws IllegalStateException when the alias does not exist, or its generation has another
   *     schema
   */
  public static SolrProductSearcher open(SolrTarget target) throws IOException {
    return open(target, Embedders::create);
  }

  /** As {@link #open(SolrTarget)}, query images encoded by {@code embedders}. */
  public static SolrProductSearcher open(SolrTarget target, EmbedderFactory embedders)
      throws IOException {
    return open(target, embedders, DEFAULT_TIMEOUT);
  }

  /**
   * As {@link #open(SolrTarget, EmbedderFactory)}, each request to the cluster bounded by {@code
   * timeout} ({@link SolrTarget#connect(Duration)}): a query that exceeds it fails with an {@link
   * UncheckedIOException} naming the collection.
   *
   * @throws IllegalArgumentException unless {@code timeout} is between 1 second and 10 minutes
   */
  public static SolrProductSearcher open(
      SolrTarget target, EmbedderFactory embedders, Duration timeout) throws IOException {
    SolrClient client = target.connect(timeout);
    try {
      SolrProductSearcher searcher =
          new SolrProductSearcher(client, true, target.alias(), embedders);
      searcher.refresh();
      return searcher;
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** Opens {@code alias}'s current generation over a client the caller keeps and closes. */
  public static SolrProductSearcher open(SolrClient client, String alias, EmbedderFactory embedders)
      throws IOException {
    SolrProductSearcher searcher = new SolrProductSearcher(client, false, alias, embedders);
    searcher.refresh();
    return searcher;
  }

  @Override
  public IndexInfo info() {
    return generation().info;
  }

  /** The collection searched now (the alias's target at the last refresh). */
  public String collection() {
    return generation().collection;
  }

  @Override
  public Optional<CatalogItem> item(String id) {
    Objects.requireNonNull(id, "id");
    Generation g = generation();
    SolrDocument doc = byId(g, id, RESULT_FIELDS);
    return doc == null ? Optional.empty() : Optional.of(toItem(doc));
  }

  @Override
  public SearchResults similarToItem(String id, SearchFilters filters, SearchOptions options) {
    Objects.requireNonNull(id, "id");
    List<String> fqs = SolrFilters.toFilterQueries(filters);
    Generation g = generation();
    SolrDocument doc = byId(g, id, IndexSchema.ID + "," + SolrSchema.VECTOR_BYTES);
    if (doc == null) {
      throw new UnknownProductException(id);
    }
    float[] vector = vectorOf(g, doc);
    fqs.add(SolrFilters.excluding(id));
    return page(g, nearest(g, vector, fqs, options.exact(), Ranking.depth(options)), options);
  }

  @Override
  public SearchResults similarToImage(
      BufferedImage image, SearchFilters filters, SearchOptions options) {
    Objects.requireNonNull(image, "image");
    List<String> fqs = SolrFilters.toFilterQueries(filters);
    Generation g = generation();
    return page(
        g,
        nearest(
            g, encoders.encode(g.metadata, image), fqs, options.exact(), Ranking.depth(options)),
        options);
  }

  /** The Solr backend learns no projection: the same as {@link #similarToVector}. */
  @Override
  public SearchResults similarToEmbedding(
      float[] embedding, SearchFilters filters, SearchOptions options) {
    Generation g = generation();
    return similarInGeneration(
        g, QueryImageEncoders.visualPart(embedding, g.metadata), filters, options);
  }

  @Override
  public SearchResults similarToVector(
      float[] vector, SearchFilters filters, SearchOptions options) {
    return similarInGeneration(generation(), vector, filters, options);
  }

  private SearchResults similarInGeneration(
      Generation g, float[] vector, SearchFilters filters, SearchOptions options) {
    List<String> fqs = SolrFilters.toFilterQueries(filters);
    QueryImageEncoders.requireDimension(g.metadata, vector);
    return page(g, nearest(g, vector, fqs, options.exact(), Ranking.depth(options)), options);
  }

  @Override
  public SearchResults byText(String text, SearchFilters filters, SearchOptions options) {
    requireText(text);
    List<String> fqs = SolrFilters.toFilterQueries(filters);
    Generation g = generation();
    // BM25 ties are common and Solr breaks them by string id: a tie group crossing the cut goes
    // deeper
    List<Ranking.Scored<SolrDocument>> ranked =
        Ranking.deepeningPastTies(
            options, g.info.documents(), depth -> bestByText(g, text, fqs, depth));
    return page(g, ranked, options);
  }

  @Override
  public SearchResults hybrid(
      BufferedImage image, String text, SearchFilters filters, SearchOptions options) {
    Objects.requireNonNull(image, "image");
    requireText(text);
    List<String> fqs = SolrFilters.toFilterQueries(filters);
    Generation g = generation();
    int depth = Math.max(SearchOptions.MAX_K, Ranking.depth(options));
    List<Ranking.Scored<SolrDocument>> byImage =
        nearest(g, encoders.encode(g.metadata, image), fqs, options.exact(), depth);
    List<Ranking.Scored<SolrDocument>> byText = bestByText(g, text, fqs, depth);
    return page(g, Ranking.fuse(List.of(byImage, byText)), options);
  }

  @Override
  public FacetCounts facets(SearchFilters filters) {
    List<String> fqs = SolrFilters.toFilterQueries(filters);
    Generation g = generation();
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set("q", "*:*");
    fqs.forEach(fq -> params.add("fq", fq));
    params.set("rows", 0);
    StringBuilder json = new StringBuilder("{");
    for (String attribute : SearchFilters.FACET_ATTRIBUTES) {
      if (json.length() > 1) {
        json.append(',');
      }
      json.append('"')
          .append(attribute)
          .append("\":{\"type\":\"terms\",\"field\":\"")
          .append(attribute)
          .append("\",\"limit\":-1,\"mincount\":1}");
    }
    params.set("json.facet", json.append('}').toString());
    QueryResponse response = query(g, params);
    Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    for (String attribute : SearchFilters.FACET_ATTRIBUTES) {
      List<Map.Entry<String, Long>> entries = new ArrayList<>();
      BucketBasedJsonFacet facet =
          response.getJsonFacetingResponse() == null
              ? null
              : response.getJsonFacetingResponse().getBucketBasedFacets(attribute);
      if (facet != null) {
        for (BucketJsonFacet bucket : facet.getBuckets()) {
          entries.add(Map.entry(String.valueOf(bucket.getVal()), bucket.getCount()));
        }
      }
      entries.sort(
          Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
              .thenComparing(Map.Entry.comparingByKey()));
      Map<String, Long> ordered = new LinkedHashMap<>();
      entries.forEach(e -> ordered.put(e.getKey(), e.getValue()));
      counts.put(attribute, ordered);
    }
    return new FacetCounts(response.getResults().getNumFound(), counts);
  }

  @Override
  public SearchResults browse(SearchFilters filters, SearchOptions options) {
    List<String> fqs = SolrFilters.toFilterQueries(filters);
    Generation g = generation();
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set("q", "*:*");
    fqs.forEach(fq -> params.add("fq", fq));
    params.set("start", options.offset());
    params.set("rows", options.k());
    params.set("fl", RESULT_FIELDS);
    StringBuilder sort = new StringBuilder();
    for (String attribute : BROWSE_ORDER) {
      sort.append(attribute).append(" asc,");
    }
    params.set("sort", sort.append(IndexSchema.ID).append(" asc").toString());
    List<SearchHit> hits = new ArrayList<>();
    for (SolrDocument doc : query(g, params).getResults()) {
      hits.add(new SearchHit(toItem(doc), 0));
    }
    return new SearchResults(hits, g.info);
  }

  @Override
  public boolean refresh() throws IOException {
    refreshLock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the searcher is closed");
      }
      Optional<String> target = generations.aliasTarget();
      if (target.isEmpty()) {
        throw new IllegalStateException(
            "no collection alias "
                + generations.alias()
                + " on the cluster: run fashion reindex --backend solr first");
      }
      Generation open = current.get();
      if (open != null && open.collection.equals(target.get())) {
        return false;
      }
      Generation next = load(target.get());
      current.set(next);
      if (open != null) {
        LOG.info(
            "moved from collection {} to {} ({} products)",
            open.collection,
            next.collection,
            next.info.documents());
      }
      return true;
    } finally {
      refreshLock.unlock();
    }
  }

  /** Closes the encoders, and the client if this searcher made it. */
  @Override
  public void close() throws IOException {
    refreshLock.lock();
    try {
      closed = true;
      current.set(null);
      encoders.close();
      if (ownsClient) {
        client.close();
      }
    } finally {
      refreshLock.unlock();
    }
  }

  // --- generations

  private Generation generation() {
    Generation g = current.get();
    if (g == null) {
      throw new IllegalStateException("the searcher is closed");
    }
    return g;
  }

  private Generation load(String collection) throws IOException {
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set("q", "{!term f=" + IndexSchema.ID + "}" + SolrSchema.METADATA_ID);
    params.set("fl", SolrSchema.METADATA);
    params.set("rows", 1);
    ModifiableSolrParams count = new ModifiableSolrParams();
    count.set("q", "*:*");
    count.set("fq", SolrSchema.PRODUCTS_ONLY);
    count.set("rows", 0);
    try {
      SolrDocumentList meta = client.query(collection, params).getResults();
      if (meta.isEmpty()) {
        throw new IllegalStateException(
            "collection "
                + collection
                + " has no metadata document: not a generation written by fashion reindex");
      }
      IndexMetadata metadata =
          SolrProductDocuments.metadataOf(
              String.valueOf(meta.get(0).getFirstValue(SolrSchema.METADATA)));
      metadata.requireSchema();
      long documents = client.query(collection, count).getResults().getNumFound();
      IndexInfo info =
          new IndexInfo(
              generations.generationOf(collection),
              Math.toIntExact(documents),
              metadata.modelId(),
              metadata.weightsId(),
              metadata.pretrained(),
              metadata.dimension(),
              metadata.catalog());
      return new Generation(collection, metadata, info);
    } catch (SolrServerException | SolrException e) {
      throw new IOException("cannot open collection " + collection + ": " + e.getMessage(), e);
    }
  }

  // --- requests

  private QueryResponse query(Generation g, ModifiableSolrParams params) {
    try {
      return client.query(g.collection, params, SolrRequest.METHOD.POST);
    } catch (SolrException e) {
      if (e.code() == SolrException.ErrorCode.BAD_REQUEST.code) {
        throw new IllegalArgumentException(
            "Solr refused the query on collection "
                + g.collection
                + ": "
                + firstLine(e.getMessage()),
            e);
      }
      throw new IllegalStateException(
          "Solr failed the query on collection "
              + g.collection
              + " (HTTP "
              + e.code()
              + "): "
              + firstLine(e.getMessage()),
          e);
    } catch (SolrServerException | IOException e) {
      // SolrJ's load balancer says only that no node answered: the last node's error says why
      throw new UncheckedIOException(
          new IOException(
              "cannot reach Solr for collection "
                  + g.collection
                  + ": "
                  + firstLine(e.getMessage())
                  + lastCause(e),
              e));
    }
  }

  /**
   * The innermost cause's class and first line, in parentheses, or nothing when there is no cause.
   */
  private static String lastCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e
        ? ""
        : " (" + root.getClass().getSimpleName() + ": " + firstLine(root.getMessage()) + ")";
  }

  private SolrDocument byId(Generation g, String id, String fields) {
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set("q", "{!term f=" + IndexSchema.ID + "}" + id);
    params.set("fq", SolrSchema.PRODUCTS_ONLY);
    params.set("fl", fields);
    params.set("rows", 1);
    SolrDocumentList docs = query(g, params).getResults();
    return docs.isEmpty() ? null : docs.get(0);
  }

  // --- k-NN

  private List<Ranking.Scored<SolrDocument>> nearest(
      Generation g, float[] vector, List<String> fqs, boolean exact, int depth) {
    ModifiableSolrParams params = new ModifiableSolrParams();
    if (exact) {
      params.set(
          "q",
          "{!func}vectorSimilarity(FLOAT32,DOT_PRODUCT,"
              + IndexSchema.VECTOR
              + ","
              + format(vector)
              + ")");
    } else {
      // topK candidates per shard; the merged best `depth` come back
      params.set(
          "q",
          "{!knn f="
              + IndexSchema.VECTOR
              + " topK="
              + Math.max(depth, MIN_CANDIDATES)
              + "}"
              + format(vector));
    }
    fqs.forEach(fq -> params.add("fq", fq));
    params.set("rows", depth);
    params.set("fl", RESULT_FIELDS);
    params.set("sort", "score desc," + IndexSchema.ID + " asc");
    // one round trip per shard instead of two (ids and scores, then the fields of the merged page):
    // each shard sends its candidates' fields at once, a few KB; p50 33 -> 20 ms
    // (docs/benchmarks-history.md, "Where a Solr query's time goes")
    params.set(DISTRIB_SINGLE_PASS, true);
    return ranked(query(g, params));
  }

  private static String format(float[] vector) {
    StringBuilder s = new StringBuilder(vector.length * 12).append('[');
    for (int i = 0; i < vector.length; i++) {
      if (!Float.isFinite(vector[i])) {
        throw new IllegalArgumentException(
            "query vector must be finite, got: " + vector[i] + " at " + i);
      }
      if (i > 0) {
        s.append(',');
      }
      s.append(vector[i]);
    }
    return s.append(']').toString();
  }

  private static float[] vectorOf(Generation g, SolrDocument doc) {
    Object bytes = doc.getFirstValue(SolrSchema.VECTOR_BYTES);
    if (bytes instanceof java.nio.ByteBuffer buffer) {
      byte[] copy = new byte[buffer.remaining()];
      buffer.duplicate().get(copy);
      bytes = copy;
    }
    if (!(bytes instanceof byte[] b)) {
      throw new IllegalStateException(
          "product "
              + doc.getFirstValue(IndexSchema.ID)
              + " of collection "
              + g.collection
              + " has no stored vector");
    }
    return SolrProductDocuments.fromBytes(b, g.metadata.dimension());
  }

  // --- text and fusion

  private static void requireText(String text) {
    SearchText.requireSearchable(text);
  }

  private List<Ranking.Scored<SolrDocument>> bestByText(
      Generation g, String text, List<String> fqs, int depth) {
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set("q", "{!dismax qf=" + IndexSchema.TEXT + " mm=1 v=$text}");
    params.set("text", text);
    fqs.forEach(fq -> params.add("fq", fq));
    params.set("rows", depth);
    params.set(DISTRIB_SINGLE_PASS, true);
    params.set("fl", RESULT_FIELDS);
    params.set("sort", "score desc," + IndexSchema.ID + " asc");
    return ranked(query(g, params));
  }

  // --- documents

  private static List<Ranking.Scored<SolrDocument>> ranked(QueryResponse response) {
    List<Ranking.Scored<SolrDocument>> scored = new ArrayList<>();
    for (SolrDocument doc : response.getResults()) {
      Object score = doc.getFirstValue("score");
      scored.add(
          new Ranking.Scored<>(
              doc,
              String.valueOf(doc.getFirstValue(IndexSchema.ID)),
              score == null ? 0 : ((Number) score).doubleValue()));
    }
    scored.sort(Ranking.ORDER);
    return scored;
  }

  private static SearchResults page(
      Generation g, List<Ranking.Scored<SolrDocument>> ranked, SearchOptions options) {
    return new SearchResults(Ranking.page(ranked, options, SolrProductSearcher::toItem), g.info);
  }

  private static CatalogItem toItem(SolrDocument doc) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String name : IndexSchema.ATTRIBUTES) {
      Object value = doc.getFirstValue(name);
      attributes.put(name, value == null ? "" : value.toString());
    }
    Object image = doc.getFirstValue(IndexSchema.IMAGE);
    return new CatalogItem(
        String.valueOf(doc.getFirstValue(IndexSchema.ID)),
        attributes,
        image == null ? "" : image.toString());
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
