import com.fashionsearch.models.ImageDecoder;
import com.fashionsearch.models.ResizeMode;
import com.fashionsearch.models.mobilenet.*;
import java.awt.image.BufferedImage;
import java.io.*;
import java.nio.*;
import java.nio.file.*;
import java.security.MessageDigest;
import java.util.*;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every convolution output of MobileNet v1 (Conv2d_0 and the pointwise convolutions of blocks 1 to
 * 13: L0 ... L13), averaged over positions ({@code L<i>avg.emb}) and over the four overlapping
 * quarter maps ({@code L<i>grid.emb}), power-normalised and L2-normalised, written as embedding
 * caches (FSEMBED1, keyed by the image's SHA-256) that tools/learned-projection reads. Checks that
 * L13avg equals the product's own embedding of each image.
 *
 * <p>Usage: Layers CATALOG TFLITE OUT_DIR (see run.sh)
 */
public class Layers {
  public static void main(String[] a) throws Exception {
    Path catalog = Path.of(a[0]), tflite = Path.of(a[1]), outDir = Path.of(a[2]);
    Files.createDirectories(outDir);
    TfliteModel model = TfliteModel.of(ByteBuffer.wrap(Files.readAllBytes(tflite)));
    TfliteSubGraph g = model.subgraph(0);
    List<Integer> tensors = new ArrayList<>();
    for (int i = 0; i < g.operatorsLength(); i++) {
      TfliteOperator op = g.operator(i);
      if (model.operatorCode(op.opcodeIndex()).builtinCode() == TfliteOperatorCode.CONV_2D) tensors.add(op.outputs()[0]);
    }
    List<String> names = new ArrayList<>();
    for (int t : tensors) { names.add(MobileNetGraph.variableName(t)); System.out.println("conv output " + t + " " + g.tensor(t).name() + " " + Arrays.toString(g.tensor(t).shape())); }
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    List<String> lines = Files.readAllLines(catalog.resolve("styles.csv"));
    List<Map<String, float[]>> avg = new ArrayList<>(), grid = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) { avg.add(new LinkedHashMap<>()); grid.add(new LinkedHashMap<>()); }
    long t0 = System.nanoTime(); int done = 0; double minCos = 1;
    try (MobileNetEmbedder emb = MobileNetEmbedder.open(MobileNetVariant.V1, tflite, ResizeMode.PAD, true)) {
      List<BufferedImage> batch = new ArrayList<>(); List<String> shas = new ArrayList<>();
      List<String> todo = new ArrayList<>(lines.subList(1, lines.size()));
      Set<String> seen = new HashSet<>();
      String[] req = names.toArray(String[]::new);
      for (int li = 0; li <= todo.size(); li++) {
        if (li < todo.size()) {
          String id = todo.get(li).substring(0, todo.get(li).indexOf(','));
          Path img = catalog.resolve("images/" + id + ".jpg");
          if (!Files.exists(img)) continue;
          byte[] bytes = Files.readAllBytes(img);
          String sha = HexFormat.of().formatHex(md.digest(bytes));
          if (!seen.add(sha)) continue;
          batch.add(ImageDecoder.decode(bytes, img.toString())); shas.add(sha);
        }
        if (batch.size() == 16 || (li == todo.size() && !batch.isEmpty())) {
          Map<String, INDArray> r = emb.graph().run(emb.toInput(batch), req);
          float[][] own = emb.embed(batch);
          for (int li2 = 0; li2 < names.size(); li2++) {
            INDArray t = r.get(names.get(li2)); // NHWC
            long[] s = t.shape(); int H = (int) s[1], W = (int) s[2], C = (int) s[3];
            float[] act = t.dup('c').data().asFloat();
            int h2 = (H + 1) / 2, w2 = (W + 1) / 2; // overlapping halves when odd
            int[][] reg = {{0, h2, 0, w2}, {0, h2, W - w2, W}, {H - h2, H, 0, w2}, {H - h2, H, W - w2, W}};
            for (int b = 0; b < batch.size(); b++) {
              int base = b * H * W * C;
              float[] a0 = pw(pool(act, base, W, C, new int[] {0, H, 0, W}));
              if (li2 == names.size() - 1) minCos = Math.min(minCos, dot(a0, own[b]));
              avg.get(li2).put(shas.get(b), a0);
              float[] gr = new float[4 * C];
              for (int q = 0; q < 4; q++) System.arraycopy(pw(pool(act, base, W, C, reg[q])), 0, gr, q * C, C);
              normalise(gr);
              grid.get(li2).put(shas.get(b), gr);
            }
          }
          done += batch.size();
          batch.clear(); shas.clear();
          if (done % 480 == 0) System.out.printf("%d images, %.1f s, L13avg vs the embedder: min cos %.6f%n", done, (System.nanoTime() - t0) / 1e9, minCos);
        }
      }
    }
    System.out.printf("%d images in %.1f s, L13avg vs the embedder: min cos %.6f%n", done, (System.nanoTime() - t0) / 1e9, minCos);
    for (int i = 0; i < names.size(); i++) {
      write(outDir.resolve("L" + i + "avg.emb"), avg.get(i));
      write(outDir.resolve("L" + i + "grid.emb"), grid.get(i));
    }
  }
  static float[] pool(float[] act, int base, int W, int C, int[] r) {
    float[] o = new float[C]; int cnt = (r[1] - r[0]) * (r[3] - r[2]);
    for (int h = r[0]; h < r[1]; h++) for (int w = r[2]; w < r[3]; w++) { int off = base + (h * W + w) * C; for (int c = 0; c < C; c++) o[c] += act[off + c]; }
    for (int c = 0; c < C; c++) o[c] /= cnt;
    return o;
  }
  static float[] pw(float[] v) { float[] o = new float[v.length]; for (int i = 0; i < v.length; i++) o[i] = (float) Math.sqrt(Math.max(0, v[i])); normalise(o); return o; }
  static void normalise(float[] v) { double s = 0; for (float x : v) s += x * x; if (s == 0) return; float inv = (float) (1 / Math.sqrt(s)); for (int i = 0; i < v.length; i++) v[i] *= inv; }
  static double dot(float[] a, float[] b) { double s = 0; for (int i = 0; i < a.length; i++) s += a[i] * b[i]; return s; }
  static void write(Path f, Map<String, float[]> m) throws IOException {
    int d = m.values().iterator().next().length;
    try (var out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(f), 1 << 20))) {
      ByteBuffer h = ByteBuffer.allocate(8 + 4 + 12).order(ByteOrder.LITTLE_ENDIAN);
      h.put("FSEMBED1".getBytes()).putInt(d).putInt(0).putInt(0).putInt(0);
      out.write(h.array());
      ByteBuffer rec = ByteBuffer.allocate(32 + 4 * d).order(ByteOrder.LITTLE_ENDIAN);
      for (var e : m.entrySet()) { rec.clear(); rec.put(HexFormat.of().parseHex(e.getKey())); for (float x : e.getValue()) rec.putFloat(x); out.write(rec.array()); }
    }
    System.out.println("wrote " + f + " " + m.size() + " x " + d);
  }
}
