import java.io.*;
import java.nio.*;
import java.nio.channels.FileChannel;
import java.nio.file.*;
import java.util.*;

/** File formats and small vector helpers shared by Extract and FineTune. */
final class Data {
  /** An embedding cache (FSEMBED1/2) as SHA-256 hex -> vector (ProjectionSweep.readCache). */
  static Map<String, float[]> readCache(Path f) throws Exception {
    return ProjectionSweep.readCache(f);
  }

  /** Block-12 activations written by Extract: SHA-256 hex -> NCHW floats; shape in {@code shape}. */
  static Map<String, float[]> readActivations(Path f, int[] shape) throws IOException {
    try (FileChannel ch = FileChannel.open(f)) {
      ByteBuffer head = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(head, 0); head.flip(); head.position(8);
      int n = head.getInt(); shape[0] = head.getInt(); shape[1] = head.getInt(); shape[2] = head.getInt();
      int len = shape[0] * shape[1] * shape[2];
      Map<String, float[]> m = new HashMap<>();
      ByteBuffer rec = ByteBuffer.allocate(32 + 4 * len).order(ByteOrder.LITTLE_ENDIAN);
      long pos = 24;
      for (int i = 0; i < n; i++) {
        rec.clear();
        while (rec.hasRemaining()) { int r = ch.read(rec, pos + rec.position()); if (r < 0) throw new EOFException(); }
        rec.flip();
        byte[] sha = new byte[32]; rec.get(sha);
        float[] v = new float[len]; rec.asFloatBuffer().get(v);
        m.put(HexFormat.of().formatHex(sha), v);
        pos += rec.capacity();
      }
      return m;
    }
  }

  static void normalise(float[] v) { double s = 0; for (float x : v) s += x * x; if (s == 0) return; float inv = (float) (1 / Math.sqrt(s)); for (int i = 0; i < v.length; i++) v[i] *= inv; }
  static double dot(float[] a, float[] b) { double s = 0; for (int i = 0; i < a.length; i++) s += a[i] * b[i]; return s; }
}
