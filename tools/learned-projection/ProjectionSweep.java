import com.fashionsearch.models.learned.*;
import java.io.*;
import java.nio.*;
import java.nio.file.*;
import java.security.MessageDigest;
import java.util.*;

/**
 * k-fold sweep of the learned projection's settings over embedding caches, in memory: trains
 * ProjectionTrainer on the training folds' labels and scores each held-out product's exact top-10
 * among the training products, label-free and learned, for the spaces and blends listed in
 * {@code blends} (positive: the normalised embedding; negative: the classes' space). The product's
 * own figures come from `fashion eval --folds`; this is the faster way to compare settings.
 *
 * <p>Usage: see run.sh. Arguments: CATALOG CACHE[,CACHE...] COLUMNS BLEND EPOCHS DIM [FILTER_CACHES]
 * (several caches are concatenated with equal weight; products missing from any are left out).
 *
 * <p>Environment: ENS=N trains N projections of different seeds and concatenates their learned parts
 * (an ensemble); BETA=B re-ranks each query's top 50 by the articleType votes of its 10 nearest
 * catalog products (VOTERS), weighted B; TRAINFRAC=F trains on a seeded share F of the training
 * folds while the catalog searched stays all of them; FOLDS_RUN=K scores only the first K folds.
 * AUG=CATALOG2,CACHE2 adds to the training rows (not to the catalog searched, never for a held-out
 * product) the embeddings of altered copies of each training product's photo: CATALOG2's product
 * {@code id + 100000 * k} is copy k of product {@code id}, CACHE2 holds their embeddings (one
 * cache only); AUGN=K takes copies 1..K (default all). RAWDIM=D keeps only the first D dimensions
 * (renormalised) in the blend's network part, as the product does with an embedder's intermediate
 * layers (ImageEmbedder.visualDimension): with the first cache the final layer, the others feed the
 * projection only.
 */
public class ProjectionSweep {
  static Map<String, float[]> readCache(Path f) throws Exception {
    byte[] all = Files.readAllBytes(f);
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    String magic = new String(all, 0, 8, java.nio.charset.StandardCharsets.US_ASCII);
    boolean v2 = magic.equals("FSEMBED2"); // FSEMBED2 adds a CRC-32 after the header and after each record
    b.position(8); int d = b.getInt();
    for (int i = 0; i < 3; i++) { int len = b.getInt(); b.position(b.position() + len); }
    if (v2) b.getInt();
    Map<String, float[]> m = new HashMap<>();
    int record = 32 + 4 * d + (v2 ? 4 : 0);
    while (b.remaining() >= record) {
      byte[] sha = new byte[32]; b.get(sha);
      float[] v = new float[d]; for (int i = 0; i < d; i++) v[i] = b.getFloat();
      if (v2) b.getInt();
      m.put(HexFormat.of().formatHex(sha), v);
    }
    return m;
  }
  /** Catalog rows and their vectors, in styles.csv order. */
  record Rows(List<String[]> rows, List<float[]> vecs) {}

  /**
   * The products of {@code catalog} whose image is in every cache and every filter cache, each with
   * its caches' vectors concatenated at equal weight (each part divided by sqrt(caches)).
   */
  static Rows load(Path catalog, List<Map<String, float[]>> caches, List<Map<String, float[]>> filters) throws Exception {
    List<String[]> rows = new ArrayList<>();
    List<float[]> vecs = new ArrayList<>();
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    List<String> lines = Files.readAllLines(catalog.resolve("styles.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", 10);
      Path img = catalog.resolve("images/" + f[0] + ".jpg");
      if (!Files.exists(img)) continue;
      String sha = HexFormat.of().formatHex(md.digest(Files.readAllBytes(img)));
      List<float[]> parts = new ArrayList<>();
      for (var c : caches) { float[] v = c.get(sha); if (v != null) parts.add(v); }
      if (parts.size() != caches.size()) continue;
      boolean all = true; for (var fc : filters) all &= fc.containsKey(sha);
      if (!all) continue;
      int d = 0; for (float[] p : parts) d += p.length;
      float[] v = new float[d]; int o = 0;
      for (float[] p : parts) { for (float x : p) v[o++] = (float) (x / Math.sqrt(parts.size())); }
      rows.add(f); vecs.add(v);
    }
    return new Rows(rows, vecs);
  }

  /** Each of {@code n} products' fold: a Random(7) shuffle dealt round-robin into {@code folds}. */
  static int[] folds(int n, int folds) {
    int[] fold = new int[n]; Random r = new Random(7); Integer[] idx = new Integer[n];
    for (int i=0;i<n;i++) idx[i]=i; Collections.shuffle(Arrays.asList(idx), r);
    for (int i=0;i<n;i++) fold[idx[i]] = i % folds;
    return fold;
  }

  public static void main(String[] a) throws Exception {
    Path catalog = Path.of(a[0]);
    List<Map<String, float[]>> caches = new ArrayList<>();
    for (String c : a[1].split(",")) caches.add(readCache(Path.of(c)));
    List<Map<String, float[]>> filters = new ArrayList<>();
    if (a.length > 6) for (String c : a[6].split(",")) filters.add(readCache(Path.of(c)));
    Rows loaded = load(catalog, caches, filters);
    List<String[]> rows = loaded.rows();
    List<float[]> vecs = loaded.vecs();
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    int n = rows.size();
    System.out.println("products " + n + " dim " + vecs.get(0).length);
    Map<String, List<float[]>> augmented = new HashMap<>();
    String aug = System.getenv("AUG");
    if (aug != null) {
      String[] ac = aug.split(",");
      Map<String, float[]> augCache = readCache(Path.of(ac[1]));
      int augn = Integer.parseInt(System.getenv().getOrDefault("AUGN", "99"));
      List<String> al = Files.readAllLines(Path.of(ac[0]).resolve("styles.csv"));
      int found = 0;
      for (String line : al.subList(1, al.size())) {
        long id = Long.parseLong(line.substring(0, line.indexOf(',')));
        int k = (int) (id / 100000);
        if (k < 1 || k > augn) continue;
        Path img = Path.of(ac[0]).resolve("images/" + id + ".jpg");
        float[] v = augCache.get(HexFormat.of().formatHex(md.digest(Files.readAllBytes(img))));
        if (v == null) continue;
        augmented.computeIfAbsent(Long.toString(id % 100000), x -> new ArrayList<>()).add(v);
        found++;
      }
      System.out.println("augmented copies " + found + " of " + augmented.size() + " products (AUGN " + augn + ")");
    }
    String[] cols = {"gender","masterCategory","subCategory","articleType","baseColour","season","year","usage"};
    Map<String,Integer> ci = new HashMap<>(); for (int i=0;i<cols.length;i++) ci.put(cols[i], i+1);
    List<String> heads = Arrays.asList(a[2].split(","));
    int folds = 5;
    int[] fold = folds(n, folds);
    double blendArg = Double.parseDouble(a[3]);
    int epochs = Integer.parseInt(a[4]);
    int dim = Integer.parseInt(a[5]);
    double[] blends = {-0.75};
    double[][] sums = new double[blends.length+1][3]; int q = 0;
    for (int f = 0; f < folds; f++) {
      List<Integer> tr = new ArrayList<>(), te = new ArrayList<>();
      for (int i=0;i<n;i++) (fold[i]==f?te:tr).add(i);
      double frac = Double.parseDouble(System.getenv().getOrDefault("TRAINFRAC", "1"));
      List<Integer> sub = new ArrayList<>(tr);
      if (frac < 1) { Collections.shuffle(sub, new Random(11 + f)); sub = new ArrayList<>(sub.subList(0, (int) (sub.size() * frac))); Collections.sort(sub); }
      if (f >= Integer.parseInt(System.getenv().getOrDefault("FOLDS_RUN", "5"))) break;
      float[][] x = new float[tr.size()][]; Map<String,String[]> labels = new LinkedHashMap<>();
      for (int i=0;i<tr.size();i++) x[i]=vecs.get(tr.get(i));
      List<float[]> trainX = new ArrayList<>(); List<Integer> trainRow = new ArrayList<>();
      for (int i : sub) {
        trainX.add(vecs.get(i)); trainRow.add(i);
        for (float[] v : augmented.getOrDefault(rows.get(i)[0], List.of())) { trainX.add(v); trainRow.add(i); }
      }
      float[][] xs = trainX.toArray(new float[0][]);
      for (String h : heads) labels.put(h, new String[xs.length]);
      for (int i=0;i<xs.length;i++) { for (String h: heads) labels.get(h)[i] = rows.get(trainRow.get(i))[ci.get(h)]; }
      var s = ProjectionTrainer.Settings.defaults(heads).withBlend(blendArg).withEpochs(epochs).withValidationShare(0);
      s = new ProjectionTrainer.Settings(s.columns(), dim, s.space(), s.blend(), s.epochs(), s.batchSize(), s.learningRate(), s.l2(), s.inputRetain(), s.scale(), s.minClassSize(), 0, s.seed());
      long t0 = System.nanoTime();
      int ens = Integer.parseInt(System.getenv().getOrDefault("ENS", "1"));
      List<ProjectionTrainer.Trained> extra = new ArrayList<>();
      for (int e = 1; e < ens; e++) extra.add(new ProjectionTrainer(s.withSeed(42 + 1000L * e)).train(xs, labels));
      try (var t = new ProjectionTrainer(s).train(xs, labels)) {
        System.out.printf("fold %d trained in %.1f s%n", f, (System.nanoTime()-t0)/1e9);
        for (int bi = 0; bi <= blends.length; bi++) {
          float[][] cat = new float[tr.size()][]; 
          java.util.function.Function<float[],float[]> proj;
          if (bi == blends.length) proj = v -> v; else {
            double bl = blends[bi];
            List<LabelProjection> ps = new ArrayList<>();
            ps.add(t.projection().with(bl > 0 ? ProjectionInfo.Space.EMBEDDING : ProjectionInfo.Space.CLASSES, 1.0));
            for (var ex : extra) ps.add(ex.projection().with(bl > 0 ? ProjectionInfo.Space.EMBEDDING : ProjectionInfo.Space.CLASSES, 1.0));
            double bb = Math.abs(bl);
            proj = v -> { List<float[]> es = new ArrayList<>(); int len = v.length; for (var pp : ps) { float[] e = pp.apply(v); es.add(e); len += e.length; }
              if (RAWDIM > 0) { float[] rv = Arrays.copyOf(v, RAWDIM); norm(rv); len += RAWDIM - v.length; v = rv; }
              float[] out = new float[len]; int o = 0; float a0 = (float) Math.sqrt(1 - bb); for (float xx : v) out[o++] = a0 * xx;
              float c0 = (float) Math.sqrt(bb / ps.size()); for (float[] e : es) for (float xx : e) out[o++] = c0 * xx; return out; };
          }
          for (int i=0;i<tr.size();i++) cat[i] = proj.apply(x[i]);
          for (int qi : te) {
            float[] qv = proj.apply(vecs.get(qi));
            int[] top = rerank(cat, qv, tr, rows);
            String[] qr = rows.get(qi); int h1=0,h2=0,h3=0;
            for (int tt : top) { String[] cr = rows.get(tr.get(tt)); if (cr[4].equals(qr[4])) { h1++; if (cr[5].equals(qr[5])) h2++; } if (cr[3].equals(qr[3])) h3++; }
            sums[bi][0]+=h1/10.0; sums[bi][1]+=h2/10.0; sums[bi][2]+=h3/10.0;
          }
        }
      }
      q += te.size();
    }
    for (int bi = 0; bi <= blends.length; bi++)
      System.out.printf("%s P@10[type]=%.3f P@10[type&colour]=%.3f P@10[sub]=%.3f%n", bi==blends.length?"raw            ":(blends[bi]>0?"embedding ":"classes   ")+Math.abs(blends[bi]), sums[bi][0]/q, sums[bi][1]/q, sums[bi][2]/q);
  }
  // recompute blend from the learned part: projection with blend 1 gives e
  static float[] blendOf(LabelProjection p, float[] x, double blend) {
    float[] full = p.apply(x); int in = p.inputDimension();
    float[] e; 
    if (p.info().blend() >= 1) e = full; else { e = Arrays.copyOfRange(full, in, full.length); norm(e); }
    if (blend >= 1) return e;
    float[] v = new float[in + e.length];
    float aa = (float)Math.sqrt(1-blend), cc=(float)Math.sqrt(blend);
    for (int i=0;i<in;i++) v[i]=aa*x[i];
    for (int j=0;j<e.length;j++) v[in+j]=cc*e[j];
    norm(v); return v;
  }
  static void norm(float[] v){ double s=0; for(float x:v) s+=x*x; float inv=(float)(1/Math.sqrt(s)); for(int i=0;i<v.length;i++) v[i]*=inv; }
  static double BETA = Double.parseDouble(System.getenv().getOrDefault("BETA", "0"));
  static int RAWDIM = Integer.parseInt(System.getenv().getOrDefault("RAWDIM", "0"));
  static int VOTERS = Integer.parseInt(System.getenv().getOrDefault("VOTERS", "10"));
  static int[] rerank(float[][] c, float[] q, List<Integer> tr, List<String[]> rows) {
    if (BETA == 0) return top10(c, q);
    int k=50; int[] best=new int[k]; float[] sc=new float[k]; Arrays.fill(sc, Float.NEGATIVE_INFINITY);
    for (int i=0;i<c.length;i++){ float s=0; float[] v=c[i]; for(int j=0;j<v.length;j++) s+=v[j]*q[j];
      if (s>sc[k-1]) { int p=k-1; while(p>0&&sc[p-1]<s){sc[p]=sc[p-1];best[p]=best[p-1];p--;} sc[p]=s; best[p]=i; } }
    Map<String,Double> vote = new HashMap<>(); double tot=0;
    for (int i=0;i<VOTERS;i++){ String t = rows.get(tr.get(best[i]))[4]; vote.merge(t, (double) sc[i], Double::sum); tot += sc[i]; }
    Integer[] o = new Integer[k]; double[] ns = new double[k];
    for (int i=0;i<k;i++){ o[i]=i; ns[i] = sc[i] + BETA * vote.getOrDefault(rows.get(tr.get(best[i]))[4], 0.0) / tot; }
    Arrays.sort(o, (x,y) -> Double.compare(ns[y], ns[x]));
    int[] out = new int[10]; for (int i=0;i<10;i++) out[i]=best[o[i]]; return out;
  }
  static int[] top10(float[][] c, float[] q) {
    int k=10; int[] best=new int[k]; float[] sc=new float[k]; Arrays.fill(sc, Float.NEGATIVE_INFINITY);
    for (int i=0;i<c.length;i++){ float s=0; float[] v=c[i]; for(int j=0;j<v.length;j++) s+=v[j]*q[j];
      if (s>sc[k-1]) { int p=k-1; while(p>0&&sc[p-1]<s){sc[p]=sc[p-1];best[p]=best[p-1];p--;} sc[p]=s; best[p]=i; } }
    return best;
  }
}
