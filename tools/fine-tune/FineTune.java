import com.fashionsearch.models.learned.*;
import java.nio.file.*;
import java.security.MessageDigest;
import java.util.*;
import org.deeplearning4j.nn.conf.*;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.*;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.*;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Fine-tunes MobileNet v1's block 13 with the learned projection's heads, in Deeplearning4j, on the
 * cached block-12 activations (Extract), and scores it by ProjectionSweep's protocol: 5 folds over
 * the catalog's products (the same shuffle, Random(7)), each held-out product's exact top-10 among
 * the training folds' products by dot product of [0.5 x ; sqrt(0.75) classes] (blend -0.75 of
 * ProjectionSweep: x the unit, power-normalised pooled embedding, classes the heads' square-root
 * probabilities), P@10[articleType] and P@10[articleType and baseColour]. Labels of the training
 * folds only train.
 *
 * <p>Per fold: (A) the DL4J graph with block 13 initialised from the TFLite file computes every
 * product's embedding once (checked against the embedding cache); ProjectionTrainer trains the
 * projection on the training products' embeddings exactly as ProjectionSweep does: the FROZEN
 * baseline, scored. (B) per variant, a graph of block 13 -> average pooling -> power
 * normalisation -> L2 -> the projection's standardisation (fixed) -> the projection and heads
 * (copied from A) is trained further on the training products' activations with Adam, then every
 * product is embedded by it and scored, after each epoch listed in EVAL.
 *
 * <p>Usage: FineTune CATALOG TFLITE CACHE.emb ACTIVATIONS.bin. Environment: VARIANTS
 * (name:convLr:headLr:epochs:layers:flip[:batch[:convL2]] separated by ','; layers "dw+pw" or
 * "pw"; flip 0/1: horizontal flip of the activation map at random), EVAL (epochs after which to
 * score, e.g. 1,2,3; default the last), FOLDS_RUN (first K folds), EPOCHS (stage A, 30), SEED.
 */
public class FineTune {
  static final String[] COLS = {"gender","masterCategory","subCategory","articleType","baseColour","season","year","usage"};
  static final List<String> HEADS = List.of("articleType","subCategory","gender","usage","baseColour");
  static final long SEED = Long.parseLong(System.getenv().getOrDefault("SEED", "42"));

  record Variant(String name, double convLr, double headLr, int epochs, boolean trainDw, boolean flip, int batch, double convL2) {
    static Variant parse(String s) {
      String[] p = s.split(":");
      return new Variant(p[0], Double.parseDouble(p[1]), Double.parseDouble(p[2]), Integer.parseInt(p[3]),
          p[4].equals("dw+pw"), p[5].equals("1"), p.length > 6 ? Integer.parseInt(p[6]) : 64,
          p.length > 7 ? Double.parseDouble(p[7]) : 0);
    }
  }

  static final boolean DEBUG = System.getenv("DEBUG") != null;
  static Block13 b13;
  static int C, H, W;

  public static void main(String[] a) throws Exception {
    var env = Nd4j.getEnvironment();
    env.setMaxThreads(1); env.setMaxMasterThreads(1); Nd4j.factory().blas().setMaxThreads(1);
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    Path catalog = Path.of(a[0]);
    b13 = Block13.read(Path.of(a[1]));
    Map<String, float[]> cache = Data.readCache(Path.of(a[2]));
    int[] shape = new int[3];
    long t0 = System.nanoTime();
    Map<String, float[]> acts = Data.readActivations(Path.of(a[3]), shape);
    C = shape[0]; H = shape[1]; W = shape[2];
    System.out.printf("read %d activation maps %dx%dx%d in %.1f s%n", acts.size(), C, H, W, (System.nanoTime() - t0) / 1e9);

    // the products, in ProjectionSweep's order and with its filter (image present, in the cache)
    List<String[]> rows = new ArrayList<>(); List<float[]> maps = new ArrayList<>(); List<float[]> cached = new ArrayList<>();
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    List<String> lines = Files.readAllLines(catalog.resolve("styles.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", 10);
      Path img = catalog.resolve("images/" + f[0] + ".jpg");
      if (!Files.exists(img)) continue;
      String sha = HexFormat.of().formatHex(md.digest(Files.readAllBytes(img)));
      float[] v = cache.get(sha);
      if (v == null) continue;
      float[] m = acts.get(sha);
      if (m == null) throw new IllegalStateException("no activation map for product " + f[0]);
      rows.add(f); maps.add(m); cached.add(v);
    }
    acts = null;
    int n = rows.size();
    Map<String,Integer> ci = new HashMap<>(); for (int i=0;i<COLS.length;i++) ci.put(COLS[i], i+1);
    int folds = 5;
    int[] fold = ProjectionSweep.folds(n, folds); // ProjectionSweep's exact folds
    int foldsRun = Integer.parseInt(System.getenv().getOrDefault("FOLDS_RUN", "5"));
    int epochsA = Integer.parseInt(System.getenv().getOrDefault("EPOCHS", "30"));
    List<Variant> variants = new ArrayList<>();
    for (String s : System.getenv().getOrDefault("VARIANTS", "ft:1e-4:1e-4:3:dw+pw:0").split(",")) if (!s.isBlank()) variants.add(Variant.parse(s));
    Set<Integer> evalEpochs = new TreeSet<>();
    if (System.getenv("EVAL") != null) for (String s : System.getenv("EVAL").split(",")) evalEpochs.add(Integer.parseInt(s.trim()));
    System.out.println("products " + n + ", folds run " + foldsRun + ", variants " + variants + ", eval after epochs " + evalEpochs);

    // (A0) the frozen embeddings from the DL4J graph initialised with the TFLite block 13
    float[][] frozen;
    ComputationGraph g0 = new ComputationGraph(blockOnly());
    try {
      g0.init();
      loadBlock13(g0);
      t0 = System.nanoTime();
      frozen = embedX(g0, maps, "x");
      double min = 1, sum = 0;
      for (int i = 0; i < n; i++) { double c = Data.dot(frozen[i], cached.get(i)); min = Math.min(min, c); sum += c; }
      System.out.printf("DL4J block 13 + avg pool + power 0.5 + L2 on block-12 maps vs the cached embeddings: min cos %.6f mean %.6f (%d products, %.1f s, %.1f ms/product)%n",
          min, sum / n, n, (System.nanoTime() - t0) / 1e9, (System.nanoTime() - t0) / 1e6 / n);
      if (min < 0.999) throw new IllegalStateException("the DL4J block 13 does not reproduce the cache");
    } finally {
      g0.close();
    }

    // sums[k] = {type, type&colour, queries} for result key k, per fold too
    Map<String, double[]> sums = new LinkedHashMap<>();
    Map<String, List<double[]>> perFold = new LinkedHashMap<>();
    Map<String, List<Double>> secondsPerEpoch = new LinkedHashMap<>();
    for (int f = 0; f < Math.min(folds, foldsRun); f++) {
      List<Integer> tr = new ArrayList<>(), te = new ArrayList<>();
      for (int i=0;i<n;i++) (fold[i]==f?te:tr).add(i);
      // (A) the product's projection on the frozen embeddings, as ProjectionSweep trains it
      float[][] xs = new float[tr.size()][];
      Map<String,String[]> labels = new LinkedHashMap<>();
      for (String h : HEADS) labels.put(h, new String[tr.size()]);
      for (int i = 0; i < tr.size(); i++) { xs[i] = frozen[tr.get(i)]; for (String h : HEADS) labels.get(h)[i] = rows.get(tr.get(i))[ci.get(h)]; }
      var s = ProjectionTrainer.Settings.defaults(HEADS).withBlend(0.75).withEpochs(epochsA).withValidationShare(0);
      s = new ProjectionTrainer.Settings(s.columns(), 256, s.space(), s.blend(), s.epochs(), s.batchSize(), s.learningRate(), s.l2(), s.inputRetain(), s.scale(), s.minClassSize(), 0, SEED);
      t0 = System.nanoTime();
      try (var t = new ProjectionTrainer(s).train(xs, labels)) {
        double trainA = (System.nanoTime() - t0) / 1e9;
        LabelProjection lp = t.projection().with(ProjectionInfo.Space.CLASSES, 1.0);
        float[][] vecs = new float[n][];
        for (int i = 0; i < n; i++) vecs[i] = blend(frozen[i], lp.apply(frozen[i]));
        double[] res = score(vecs, tr, te, rows);
        record(sums, perFold, "frozen (ProjectionTrainer on DL4J block-13 embeddings)", res);
        System.out.printf("fold %d frozen: trained in %.1f s; P@10[type]=%.4f P@10[type&colour]=%.4f%n", f, trainA, res[0]/res[2], res[1]/res[2]);
        if (f == 0) {
          // the same frozen baseline on the cached vectors (ProjectionSweep's exact inputs) for reference
          float[][] xc = new float[tr.size()][]; for (int i = 0; i < tr.size(); i++) xc[i] = cached.get(tr.get(i));
          try (var tc = new ProjectionTrainer(s).train(xc, labels)) {
            LabelProjection lc = tc.projection().with(ProjectionInfo.Space.CLASSES, 1.0);
            float[][] vc = new float[n][]; for (int i = 0; i < n; i++) vc[i] = blend(cached.get(i), lc.apply(cached.get(i)));
            double[] rc = score(vc, tr, te, rows);
            System.out.printf("fold %d frozen on the cached embeddings: P@10[type]=%.4f P@10[type&colour]=%.4f%n", f, rc[0]/rc[2], rc[1]/rc[2]);
          }
        }
        List<ProjectionInfo.Head> heads = t.projection().info().heads();
        // (B) fine-tuning variants, each from the frozen projection
        for (Variant v : variants) {
          Nd4j.getRandom().setSeed(SEED);
          ComputationGraph g = new ComputationGraph(full(heads, v));
          try {
            g.init();
            loadBlock13(g);
            copyProjection(t, g, heads);
            if (f == 0 && v == variants.get(0)) {
              // the untrained full graph must give the frozen baseline's vectors
              List<float[]> some = new ArrayList<>(); for (int i = 0; i < 64; i++) some.add(maps.get(te.get(i)));
              float[][] gv = embedFull(g, some, heads);
              double worst = 1; for (int i = 0; i < 64; i++) worst = Math.min(worst, Data.dot(gv[i], vecs[te.get(i)]) / Math.sqrt(Data.dot(gv[i], gv[i]) * Data.dot(vecs[te.get(i)], vecs[te.get(i)])));
              System.out.printf("full DL4J graph before fine-tuning vs the frozen baseline's vectors: min cos %.6f over 64 products%n", worst);
            }
            Map<String, INDArray> before = new LinkedHashMap<>();
            for (String l : List.of("dw", "pw", "std", "projection")) before.put(l, g.getLayer(l).getParam("W").dup());
            int[][] classOf = classIndices(heads, rows, ci);
            int[] counts = heads.stream().mapToInt(h -> h.classes().size()).toArray();
            Random shuffle = new Random(SEED ^ 0x5DEECE66DL);
            Random flips = new Random(SEED + 17);
            int[] order = tr.stream().mapToInt(Integer::intValue).toArray();
            for (int epoch = 1; epoch <= v.epochs(); epoch++) {
              long e0 = System.nanoTime();
              for (int i = order.length - 1; i > 0; i--) { int j = shuffle.nextInt(i + 1); int tmp = order[i]; order[i] = order[j]; order[j] = tmp; }
              double loss = 0; int batches = 0;
              for (int from = 0; from < order.length; from += v.batch()) {
                int[] b = Arrays.copyOfRange(order, from, Math.min(order.length, from + v.batch()));
                MultiDataSet ds = batch(maps, b, classOf, counts, v.flip() ? flips : null);
                if (DEBUG && batches < 3) System.out.printf("batch %d: score before fit %.4f (training=false), regularisation %.4f%n", batches, g.score(ds, false), g.calcRegularizationScore(true));
                g.fit(ds);
                if (DEBUG && batches < 3) System.out.printf("batch %d: g.score() after fit %.4f%n", batches, g.score());
                if (DEBUG && batches == 3) System.exit(0);
                loss += g.score(); batches++;
                for (INDArray x : ds.getFeatures()) x.close();
                for (INDArray x : ds.getLabels()) x.close();
                for (INDArray x : ds.getLabelsMaskArrays()) x.close();
              }
              double sec = (System.nanoTime() - e0) / 1e9;
              secondsPerEpoch.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(sec);
              System.out.printf("fold %d %s epoch %d/%d: loss %.4f, %.1f s (%.1f products/s), heap %d MB, off-heap %d MB%n", f, v.name(), epoch, v.epochs(), loss / batches, sec, order.length / sec,
                  (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20, org.bytedeco.javacpp.Pointer.physicalBytes() >> 20);
              StringBuilder moved = new StringBuilder();
              for (var e : before.entrySet()) {
                INDArray now = g.getLayer(e.getKey()).getParam("W");
                moved.append(String.format(" %s %.3g", e.getKey(), now.sub(e.getValue()).norm2Number().doubleValue() / Math.max(1e-12, e.getValue().norm2Number().doubleValue())));
              }
              System.out.printf("fold %d %s epoch %d: relative change of W since the start:%s%n", f, v.name(), epoch, moved);
              if (epoch == v.epochs() || evalEpochs.contains(epoch)) {
                long s0 = System.nanoTime();
                float[][] fv = embedFull(g, maps, heads);
                double[] rr = score(fv, tr, te, rows);
                String key = v.name() + " " + v + " epoch " + epoch;
                record(sums, perFold, key, rr);
                System.out.printf("fold %d %s epoch %d: P@10[type]=%.4f P@10[type&colour]=%.4f (embedding %d products + scoring %.1f s)%n", f, v.name(), epoch, rr[0]/rr[2], rr[1]/rr[2], n, (System.nanoTime() - s0) / 1e9);
              }
            }
          } finally {
            g.close();
          }
        }
      }
      System.out.println("== after fold " + f + " (means over the folds so far) ==");
      for (var e : sums.entrySet()) {
        double[] m = e.getValue();
        StringBuilder pf = new StringBuilder();
        for (double[] x : perFold.get(e.getKey())) pf.append(String.format(" %.4f/%.4f", x[0]/x[2], x[1]/x[2]));
        System.out.printf("  %-90s P@10[type]=%.4f P@10[type&colour]=%.4f  per fold (type/type&colour):%s%n", e.getKey(), m[0]/m[2], m[1]/m[2], pf);
      }
      for (var e : secondsPerEpoch.entrySet()) System.out.printf("  %s: %.1f s per epoch (mean of %d)%n", e.getKey(), e.getValue().stream().mapToDouble(Double::doubleValue).average().orElse(0), e.getValue().size());
    }
  }

  static void record(Map<String, double[]> sums, Map<String, List<double[]>> perFold, String key, double[] r) {
    double[] s = sums.computeIfAbsent(key, k -> new double[3]);
    for (int i = 0; i < 3; i++) s[i] += r[i];
    perFold.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
  }

  /** ProjectionSweep's blend -0.75: [sqrt(0.25) x ; sqrt(0.75) classes]. */
  static float[] blend(float[] x, float[] classes) {
    float[] out = new float[x.length + classes.length]; int o = 0;
    float a0 = (float) Math.sqrt(0.25), c0 = (float) Math.sqrt(0.75);
    for (float v : x) out[o++] = a0 * v;
    for (float v : classes) out[o++] = c0 * v;
    return out;
  }

  /** {type hits, type&colour hits, queries} summed over the held-out products, as ProjectionSweep. */
  static double[] score(float[][] vecs, List<Integer> tr, List<Integer> te, List<String[]> rows) {
    float[][] cat = new float[tr.size()][];
    for (int i = 0; i < tr.size(); i++) cat[i] = vecs[tr.get(i)];
    double h1s = 0, h2s = 0;
    for (int qi : te) {
      int[] top = top10(cat, vecs[qi]);
      String[] qr = rows.get(qi); int h1 = 0, h2 = 0;
      for (int tt : top) { String[] cr = rows.get(tr.get(tt)); if (cr[4].equals(qr[4])) { h1++; if (cr[5].equals(qr[5])) h2++; } }
      h1s += h1 / 10.0; h2s += h2 / 10.0;
    }
    return new double[] {h1s, h2s, te.size()};
  }

  static int[] top10(float[][] c, float[] q) {
    int k=10; int[] best=new int[k]; float[] sc=new float[k]; Arrays.fill(sc, Float.NEGATIVE_INFINITY);
    for (int i=0;i<c.length;i++){ float s=0; float[] v=c[i]; for(int j=0;j<v.length;j++) s+=v[j]*q[j];
      if (s>sc[k-1]) { int p=k-1; while(p>0&&sc[p-1]<s){sc[p]=sc[p-1];best[p]=best[p-1];p--;} sc[p]=s; best[p]=i; } }
    return best;
  }

  // ---- the graphs

  static NeuralNetConfiguration.Builder base() {
    return new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER);
  }

  /** Block 13 -> average pooling -> power normalisation -> L2 ("x"); no training. */
  static ComputationGraphConfiguration blockOnly() {
    var g = base().updater(new NoOp()).graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(H, W, C));
    addBlock(g, new NoOp(), new NoOp(), 0);
    return g.setOutputs("x").build();
  }

  static void addBlock(ComputationGraphConfiguration.GraphBuilder g, IUpdater dwUpdater, IUpdater pwUpdater, double convL2) {
    var dw = new DepthwiseConvolution2D.Builder(3, 3).stride(1, 1).convolutionMode(ConvolutionMode.Same)
        .nIn(C).depthMultiplier(1).activation(new ActivationReLU((double) b13.dwHi(), 0.0, 0.0)).updater(dwUpdater);
    var pw = new ConvolutionLayer.Builder(1, 1).stride(1, 1).convolutionMode(ConvolutionMode.Same)
        .nIn(C).nOut(C).activation(new ActivationReLU((double) b13.pwHi(), 0.0, 0.0)).updater(pwUpdater);
    if (convL2 > 0) { dw.l2(convL2); pw.l2(convL2); }
    // a layer with a NoOp updater is still changed by its raw gradient in DL4J: frozen layers are
    // wrapped in FrozenLayerWithBackprop (zero gradients, errors still passed back)
    g.addLayer("dw", frozenIf(dwUpdater instanceof NoOp, dw.build()), "in")
        .addLayer("pw", frozenIf(pwUpdater instanceof NoOp, pw.build()), "dw")
        .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).collapseDimensions(true).build(), "pw")
        .addLayer("power", new ActivationLayer.Builder().activation(new PowerActivation(1e-6)).build(), "pool")
        .addVertex("x", new L2NormalizeVertex(), "power");
  }

  static Layer frozenIf(boolean frozen, Layer l) {
    return frozen ? new org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop(l) : l;
  }

  /** Block 13 ... "x" -> standardisation (fixed) -> projection -> L2 -> scale 16 -> one softmax head per column. */
  static ComputationGraphConfiguration full(List<ProjectionInfo.Head> heads, Variant v) {
    var g = base().updater(new Adam(v.headLr())).graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(H, W, C));
    addBlock(g, v.trainDw() && v.convLr() > 0 ? new Adam(v.convLr()) : new NoOp(), v.convLr() > 0 ? new Adam(v.convLr()) : new NoOp(), v.convL2());
    g.addLayer("std", frozenIf(true, new ElementWiseMultiplicationLayer.Builder().nIn(C).nOut(C).activation(Activation.IDENTITY).updater(new NoOp()).build()), "x")
        .addLayer("projection", new DenseLayer.Builder().nIn(C).nOut(256).activation(Activation.IDENTITY).dropOut(0.8).l2(1e-4).build(), "std")
        .addVertex("normalised", new L2NormalizeVertex(), "projection")
        .addVertex("scaled", new ScaleVertex(16), "normalised");
    String[] outs = new String[heads.size()];
    for (int h = 0; h < heads.size(); h++) {
      var head = heads.get(h);
      outs[h] = "head-" + head.column();
      INDArray cw = Nd4j.valueArrayOf(new long[] {head.classes().size()}, head.weight(), DataType.FLOAT);
      g.addLayer(outs[h], new OutputLayer.Builder(new LossMCXENT(cw)).nIn(256).nOut(head.classes().size())
          .activation(Activation.SOFTMAX).hasBias(false).l2(1e-4).build(), "scaled");
    }
    return g.setOutputs(outs).build();
  }

  /** The TFLite block-13 weights into layers "dw" (W [kh, kw, C, 1]) and "pw" (W [O, C, 1, 1]). */
  static void loadBlock13(ComputationGraph g) {
    g.getLayer("dw").setParam("W", Nd4j.create(b13.dwWeights(), new long[] {3, 3, C, 1}, 'c'));
    g.getLayer("dw").setParam("b", Nd4j.create(b13.dwBias(), new long[] {1, C}, 'c'));
    g.getLayer("pw").setParam("W", Nd4j.create(b13.pwWeights(), new long[] {C, C, 1, 1}, 'c'));
    g.getLayer("pw").setParam("b", Nd4j.create(b13.pwBias(), new long[] {1, C}, 'c'));
  }

  /** The trained projection's standardisation, projection and heads into the full graph. */
  static void copyProjection(ProjectionTrainer.Trained t, ComputationGraph g, List<ProjectionInfo.Head> heads) {
    INDArray mean = t.standardize().getMean().castTo(DataType.FLOAT).reshape(1, C);
    INDArray std = t.standardize().getStd().castTo(DataType.FLOAT).reshape(1, C);
    INDArray inv = Nd4j.ones(DataType.FLOAT, 1, C).divi(std);
    g.getLayer("std").setParam("W", inv);
    g.getLayer("std").setParam("b", mean.mul(inv).negi());
    for (String p : List.of("W", "b")) g.getLayer("projection").setParam(p, t.graph().getLayer("projection").getParam(p).dup());
    for (var h : heads) g.getLayer("head-" + h.column()).setParam("W", t.graph().getLayer("head-" + h.column()).getParam("W").dup());
  }

  static int[][] classIndices(List<ProjectionInfo.Head> heads, List<String[]> rows, Map<String,Integer> ci) {
    int[][] out = new int[heads.size()][rows.size()];
    for (int h = 0; h < heads.size(); h++) {
      Map<String,Integer> index = new HashMap<>();
      List<String> cl = heads.get(h).classes();
      for (int c = 0; c < cl.size(); c++) index.put(cl.get(c), c);
      int col = ci.get(heads.get(h).column());
      for (int r = 0; r < rows.size(); r++) out[h][r] = index.getOrDefault(rows.get(r)[col], -1);
    }
    return out;
  }

  static INDArray features(List<float[]> maps, int[] rows, Random flip) {
    int len = C * H * W;
    float[] data = new float[rows.length * len];
    for (int r = 0; r < rows.length; r++) {
      float[] m = maps.get(rows[r]);
      if (flip != null && flip.nextBoolean()) {
        for (int c = 0; c < C; c++) for (int y = 0; y < H; y++) for (int x = 0; x < W; x++)
          data[r * len + (c * H + y) * W + x] = m[(c * H + y) * W + (W - 1 - x)];
      } else System.arraycopy(m, 0, data, r * len, len);
    }
    return Nd4j.create(data, new long[] {rows.length, C, H, W}, 'c');
  }

  static MultiDataSet batch(List<float[]> maps, int[] rows, int[][] classOf, int[] counts, Random flip) {
    INDArray x = features(maps, rows, flip);
    INDArray[] labels = new INDArray[classOf.length], masks = new INDArray[classOf.length];
    for (int h = 0; h < classOf.length; h++) {
      int c = counts[h];
      float[] oneHot = new float[rows.length * c]; float[] mask = new float[rows.length];
      for (int r = 0; r < rows.length; r++) { int k = classOf[h][rows[r]]; if (k >= 0) { oneHot[r * c + k] = 1; mask[r] = 1; } }
      labels[h] = Nd4j.create(oneHot, new long[] {rows.length, c}, 'c');
      masks[h] = Nd4j.create(mask, new long[] {rows.length, 1}, 'c');
    }
    return new MultiDataSet(new INDArray[] {x}, labels, null, masks);
  }

  /** The graph in inference mode over every map, in batches of 64: each batch's first row and outputs. */
  static void inBatches(ComputationGraph g, List<float[]> maps, java.util.function.BiConsumer<Integer, Map<String, INDArray>> each) {
    for (int from = 0; from < maps.size(); from += 64) {
      int[] rows = new int[Math.min(64, maps.size() - from)];
      for (int i = 0; i < rows.length; i++) rows[i] = from + i;
      try (INDArray x = features(maps, rows, null)) {
        each.accept(from, g.feedForward(x, false));
      }
    }
  }

  /** "x" of every map, the graph in inference mode. */
  static float[][] embedX(ComputationGraph g, List<float[]> maps, String out) {
    float[][] res = new float[maps.size()][];
    inBatches(g, maps, (from, ff) -> {
      float[][] m = ff.get(out).toFloatMatrix();
      System.arraycopy(m, 0, res, from, m.length);
    });
    return res;
  }

  /** The indexed vector of every map: blend of "x" and the heads' square-root probabilities. */
  static float[][] embedFull(ComputationGraph g, List<float[]> maps, List<ProjectionInfo.Head> heads) {
    double total = heads.stream().mapToDouble(ProjectionInfo.Head::weight).sum();
    float[][] res = new float[maps.size()][];
    inBatches(g, maps, (from, ff) -> {
      float[][] xv = ff.get("x").toFloatMatrix();
      List<float[][]> probs = new ArrayList<>();
      int k = 0;
      for (var h : heads) { float[][] p = ff.get("head-" + h.column()).toFloatMatrix(); probs.add(p); k += p[0].length; }
      for (int i = 0; i < xv.length; i++) {
        float[] cls = new float[k]; int o = 0;
        for (int h = 0; h < heads.size(); h++) {
          double share = Math.sqrt(heads.get(h).weight() / total);
          for (float p : probs.get(h)[i]) cls[o++] = (float) (share * Math.sqrt(Math.max(0, p)));
        }
        res[from + i] = blend(xv[i], cls);
      }
    });
    return res;
  }
}
