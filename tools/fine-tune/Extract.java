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
 * Step 1: for every catalog product whose image is in the embedding cache, block 12's output of
 * MobileNet v1 (the input of block 13's depthwise convolution, 7x7x1024) with the product's own
 * preprocessing (ImageDecoder.decode, resize pad, the file's input scaling: MobileNetEmbedder's
 * toInput), written as float32 in NCHW order (1024 x 7 x 7) after the image's SHA-256.
 * Also checks that the embedder's own embedding of each image equals the cached one.
 *
 * <p>Usage: Extract CATALOG TFLITE CACHE.emb OUT.bin
 */
public class Extract {
  public static void main(String[] a) throws Exception {
    Path catalog = Path.of(a[0]), tflite = Path.of(a[1]), out = Path.of(a[3]);
    Map<String, float[]> cache = Data.readCache(Path.of(a[2]));
    Block13 b13 = Block13.read(tflite);
    String b12 = MobileNetGraph.variableName(b13.input());
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    List<String> lines = Files.readAllLines(catalog.resolve("styles.csv"));
    long t0 = System.nanoTime();
    int done = 0; double minCos = 1, sumCos = 0;
    try (MobileNetEmbedder emb = MobileNetEmbedder.open(MobileNetVariant.V1, tflite, ResizeMode.PAD, true);
         FileOutputStream fo = new FileOutputStream(out.toFile());
         BufferedOutputStream bo = new BufferedOutputStream(fo, 1 << 22)) {
      String pooled = emb.graph().pooled();
      int c = b13.channels(), h = 7, w = 7;
      ByteBuffer head = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
      head.put("FTB12v01".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0).putInt(c).putInt(h).putInt(w);
      bo.write(head.array());
      List<BufferedImage> batch = new ArrayList<>(); List<String> shas = new ArrayList<>();
      List<String> todo = new ArrayList<>(lines.subList(1, lines.size()));
      for (int li = 0; li <= todo.size(); li++) {
        if (li < todo.size()) {
          String id = todo.get(li).substring(0, todo.get(li).indexOf(','));
          Path img = catalog.resolve("images/" + id + ".jpg");
          if (!Files.exists(img)) continue;
          byte[] bytes = Files.readAllBytes(img);
          String sha = HexFormat.of().formatHex(md.digest(bytes));
          if (!cache.containsKey(sha)) continue;
          batch.add(ImageDecoder.decode(bytes, img.toString())); shas.add(sha);
        }
        if (batch.size() == 16 || (li == todo.size() && !batch.isEmpty())) {
          Map<String, INDArray> r = emb.graph().run(emb.toInput(batch), b12, pooled);
          float[] act = r.get(b12).dup('c').data().asFloat(); // NHWC
          float[] pool = r.get(pooled).dup('c').data().asFloat();
          ByteBuffer rec = ByteBuffer.allocate(32 + 4 * c * h * w).order(ByteOrder.LITTLE_ENDIAN);
          for (int b = 0; b < batch.size(); b++) {
            float[] v = Arrays.copyOfRange(pool, b * c, (b + 1) * c);
            for (int i = 0; i < c; i++) v[i] = (float) Math.sqrt(Math.max(0, v[i]));
            Data.normalise(v);
            double cos = Data.dot(v, cache.get(shas.get(b)));
            minCos = Math.min(minCos, cos); sumCos += cos;
            rec.clear(); rec.put(HexFormat.of().parseHex(shas.get(b)));
            int base = b * h * w * c;
            for (int ch = 0; ch < c; ch++) for (int p = 0; p < h * w; p++) rec.putFloat(act[base + p * c + ch]);
            bo.write(rec.array());
            done++;
          }
          batch.clear(); shas.clear();
          if (done % 500 == 0) System.out.printf("%d images, %.1f s, embedding vs cache: min cos %.6f%n", done, (System.nanoTime() - t0) / 1e9, minCos);
        }
      }
    }
    try (RandomAccessFile raf = new RandomAccessFile(out.toFile(), "rw")) {
      raf.seek(8); raf.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(done).array());
    }
    System.out.printf("wrote %d products to %s in %.1f s; the embedder's vector vs the cache: min cos %.6f mean %.6f%n",
        done, out, (System.nanoTime() - t0) / 1e9, minCos, sumCos / Math.max(1, done));
  }
}
