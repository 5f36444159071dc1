package com.fashionsearch.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.bytedeco.javacpp.BytePointer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VGG16 from torchvision's state dict ({@code vgg16-397923af.pth}), in either container {@code
 * torch.save} writes: the zip of PyTorch 1.6 and later ({@code <name>/data.pkl} plus one entry per
 * storage under {@code <name>/data/}) or the legacy stream (pickles for a magic number, the
 * protocol version and system information, then the state dict, then the sorted storage keys, then
 * each storage as its element count and raw data). Keys {@code features.{0,2,5,...,28}} are the
 * thirteen convolutions ({@code [out, in, 3, 3]}, DL4J's own layout) and {@code classifier.{0,3,6}}
 * the dense layers ({@code [out, in]}, transposed here); classifier.0's inputs are in C, H, W
 * order, which is the graph's flatten order. Only float32 tensors are read; every shape is checked
 * first.
 *
 * <p>Thread-safe (immutable); {@link #load} returns a new graph on every call.
 */
final class TorchVgg16Weights {
  private static final Logger LOG = LoggerFactory.getLogger(TorchVgg16Weights.class);

  /** torchvision's index of each convolution in {@code features}. */
  static final int[] FEATURE_INDEX = {0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28};

  /** torchvision's index of fc1, fc2 and predictions in {@code classifier}. */
  static final int[] CLASSIFIER_INDEX = {0, 3, 6};

  /** A storage: its key and type ({@code FloatStorage}). */
  private record Storage(String key, String type) {}

  private final Path file;
  private final Map<String, TorchPickle.Tensor> tensors;
  private final int classes;

  private TorchVgg16Weights(Path file, Map<String, TorchPickle.Tensor> tensors, int classes) {
    this.file = file;
    this.tensors = tensors;
    this.classes = classes;
  }

  /** Whether the file is a zip (PyTorch 1.6+) rather than the legacy stream. */
  static boolean isZip(Path file) throws IOException {
    try (InputStream in = java.nio.file.Files.newInputStream(file)) {
      byte[] head = in.readNBytes(2);
      return head.length == 2 && head[0] == 'P' && head[1] == 'K';
    }
  }

  /** Whether a file is a legacy torch stream: it starts with the pickled magic number. */
  static boolean isLegacy(byte[] head) {
    // PROTO 2, LONG1 10 bytes: 0x1950a86a20f9469cfc6c little-endian
    byte[] magic = {
      (byte) 0x80,
      0x02,
      (byte) 0x8a,
      0x0a,
      0x6c,
      (byte) 0xfc,
      (byte) 0x9c,
      0x46,
      (byte) 0xf9,
      0x20,
      0x6a,
      (byte) 0xa8,
      0x50,
      0x19
    };
    return head.length >= magic.length && Arrays.equals(Arrays.copyOf(head, magic.length), magic);
  }

  /**
   * Reads the state dict's structure and checks every key and shape, without reading the data.
   *
   * @throws WeightsUnavailableException naming the first problem
   */
  static TorchVgg16Weights check(Path file) {
    Map<String, TorchPickle.Tensor> tensors = stateDict(file);
    List<String> unknown = new ArrayList<>(tensors.keySet());
    Map<String, long[]> expected = new LinkedHashMap<>();
    for (int i = 0; i < FEATURE_INDEX.length; i++) {
      Vgg16Graph.Conv conv = Vgg16Graph.CONVS.get(i);
      expected.put(
          "features." + FEATURE_INDEX[i] + ".weight", new long[] {conv.out(), conv.in(), 3, 3});
      expected.put("features." + FEATURE_INDEX[i] + ".bias", new long[] {conv.out()});
    }
    boolean top = tensors.keySet().stream().anyMatch(k -> k.startsWith("classifier."));
    int classes = 0;
    if (top) {
      TorchPickle.Tensor predictions = tensors.get("classifier.6.weight");
      if (predictions == null) {
        throw problem(file, "has a classifier but no classifier.6.weight");
      }
      long[] s = predictions.shape();
      if (s.length != 2 || s[1] != Fc2Layer.WIDTH || s[0] < 1 || s[0] > Integer.MAX_VALUE) {
        throw problem(
            file,
            "classifier.6.weight has shape " + Arrays.toString(s) + ", expected [classes, 4096]");
      }
      classes = (int) s[0];
      expected.put("classifier.0.weight", new long[] {Fc2Layer.WIDTH, Vgg16Graph.FC1_INPUTS});
      expected.put("classifier.0.bias", new long[] {Fc2Layer.WIDTH});
      expected.put("classifier.3.weight", new long[] {Fc2Layer.WIDTH, Fc2Layer.WIDTH});
      expected.put("classifier.3.bias", new long[] {Fc2Layer.WIDTH});
      expected.put("classifier.6.weight", new long[] {classes, Fc2Layer.WIDTH});
      expected.put("classifier.6.bias", new long[] {classes});
    }
    unknown.removeAll(expected.keySet());
    if (!unknown.isEmpty()) {
      boolean anyVgg = tensors.containsKey("features.0.weight");
      throw problem(
          file,
          (anyVgg
                  ? "has tensors VGG16 does not have: "
                  : "is not a torchvision VGG16 state dict: its tensors are ")
              + (unknown.size() <= 6
                  ? unknown
                  : unknown.subList(0, 6) + " and " + (unknown.size() - 6) + " more"));
    }
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      TorchPickle.Tensor t = tensors.get(e.getKey());
      if (t == null) {
        missing.add(e.getKey());
        continue;
      }
      if (!Arrays.equals(t.shape(), e.getValue())) {
        throw problem(
            file,
            "tensor "
                + e.getKey()
                + " has shape "
                + Arrays.toString(t.shape())
                + ", expected "
                + Arrays.toString(e.getValue()));
      }
      if (!Arrays.equals(t.stride(), contiguous(t.shape()))) {
        throw problem(
            file,
            "tensor "
                + e.getKey()
                + " is not contiguous (strides "
                + Arrays.toString(t.stride())
                + ")");
      }
      if (!(t.storage() instanceof Storage s) || !s.type().equals("FloatStorage")) {
        throw problem(file, "tensor " + e.getKey() + " is not float32 (" + t.storage() + ")");
      }
    }
    if (!missing.isEmpty()) {
      throw problem(file, "VGG16 tensor(s) missing: " + missing);
    }
    return new TorchVgg16Weights(file, tensors, classes);
  }

  boolean hasTop() {
    return classes > 0;
  }

  private static long[] contiguous(long[] shape) {
    long[] stride = new long[shape.length];
    long s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      stride[i] = s;
      s *= shape[i];
    }
    return stride;
  }

  private static Map<String, TorchPickle.Tensor> stateDict(Path file) {
    try {
      Object root;
      if (isZip(file)) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
          ZipEntry pkl = dataPkl(zip, file);
          root =
              TorchPickle.read(
                  ByteBuffer.wrap(zip.getInputStream(pkl).readAllBytes()),
                  TorchVgg16Weights::zipStorage);
        }
      } else {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
          ByteBuffer head = legacyHead(channel);
          if (!isLegacy(Arrays.copyOf(head.array(), Math.min(head.limit(), 16)))) {
            throw problem(file, "is neither a torch zip nor a legacy torch file (no magic number)");
          }
          TorchPickle.read(head, pid -> pid); // magic number
          TorchPickle.read(head, pid -> pid); // protocol version
          TorchPickle.read(head, pid -> pid); // system information
          root = TorchPickle.read(head, TorchVgg16Weights::legacyStorage);
          legacyStorages(
              channel, head, file); // a truncated file fails here, before anything is built
        }
      }
      if (!(root instanceof Map<?, ?> map)) {
        throw problem(file, "holds a " + root + ", not a state dict");
      }
      Map<String, TorchPickle.Tensor> tensors = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)
            || !(e.getValue() instanceof TorchPickle.Tensor t)) {
          throw problem(
              file,
              "holds "
                  + e.getKey()
                  + " = "
                  + e.getValue()
                  + ", not a tensor by name (a whole model rather than its state dict?)");
        }
        tensors.put(key, t);
      }
      return tensors;
    } catch (IOException | IllegalArgumentException e) {
      throw new WeightsUnavailableException(
          "weights file "
              + file.toAbsolutePath()
              + " cannot be read as a torch state dict (truncated or damaged?): "
              + e.getMessage(),
          e);
    }
  }

  private static ZipEntry dataPkl(ZipFile zip, Path file) {
    return zip.stream()
        .filter(
            e ->
                e.getName().endsWith("/data.pkl")
                    && e.getName().indexOf('/') == e.getName().lastIndexOf('/'))
        .findFirst()
        .orElseThrow(() -> problem(file, "is a zip without <name>/data.pkl: not a torch file"));
  }

  /** ('storage', storage_type, key, location, numel) */
  private static Object zipStorage(TorchPickle.Tuple pid) {
    return storage(pid, 5);
  }

  /** ('storage', storage_type, root_key, location, size, view_metadata) */
  private static Object legacyStorage(TorchPickle.Tuple pid) {
    return storage(pid, 6);
  }

  private static Storage storage(TorchPickle.Tuple pid, int size) {
    List<Object> p = pid.items();
    if (p.size() != size
        || !"storage".equals(p.get(0))
        || !(p.get(1) instanceof TorchPickle.Global type)) {
      throw new IllegalArgumentException("persistent id " + p + " is not a storage");
    }
    if (size == 6 && p.get(5) != TorchPickle.NONE) {
      throw new IllegalArgumentException("storage views are not supported: " + p);
    }
    return new Storage((String) p.get(2), type.name());
  }

  /**
   * Reads the data into a new graph ({@link Vgg16Graph}).
   *
   * @throws WeightsUnavailableException if the data cannot be read (a truncated file)
   */
  ComputationGraph load() {
    long start = System.nanoTime();
    ComputationGraph graph = Vgg16Graph.uninitialised(classes);
    try {
      Map<String, INDArray> data = readAll();
      try {
        for (int i = 0; i < FEATURE_INDEX.length; i++) {
          var layer = graph.getLayer(Vgg16Graph.CONVS.get(i).name());
          layer.setParam(
              "W", data.get("features." + FEATURE_INDEX[i] + ".weight")); // [out, in, 3, 3] as DL4J
          INDArray b = data.get("features." + FEATURE_INDEX[i] + ".bias");
          layer.setParam("b", b.reshape(layer.getParam("b").shape()));
        }
        if (hasTop()) {
          for (int i = 0; i < CLASSIFIER_INDEX.length; i++) {
            var layer = graph.getLayer(Vgg16Graph.TOP.get(i));
            layer.setParam(
                "W", data.get("classifier." + CLASSIFIER_INDEX[i] + ".weight").transpose());
            INDArray b = data.get("classifier." + CLASSIFIER_INDEX[i] + ".bias");
            layer.setParam("b", b.reshape(layer.getParam("b").shape()));
          }
        }
      } finally {
        data.values().forEach(INDArray::close);
      }
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
    LOG.info(
        "read {} VGG16 tensors{} from torch file {} ({} ms)",
        tensors.size(),
        hasTop() ? "" : " (convolutions only)",
        file.getFileName(),
        (System.nanoTime() - start) / 1_000_000);
    return graph;
  }

  private Map<String, INDArray> readAll() {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new WeightsUnavailableException(
          "torch files are read on little-endian machines only", null);
    }
    Map<String, INDArray> out = new LinkedHashMap<>();
    try {
      if (isZip(file)) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
          String prefix = dataPkl(zip, file).getName().replace("data.pkl", "data/");
          for (Map.Entry<String, TorchPickle.Tensor> e : tensors.entrySet()) {
            Storage s = (Storage) e.getValue().storage();
            ZipEntry entry = zip.getEntry(prefix + s.key());
            if (entry == null) {
              throw problem(file, "has no storage " + prefix + s.key() + " for " + e.getKey());
            }
            INDArray a = allocate(e.getValue());
            out.put(e.getKey(), a);
            try (InputStream in = zip.getInputStream(entry)) {
              fill(a, e.getValue(), in);
            }
          }
        }
      } else {
        readLegacy(out);
      }
      return out;
    } catch (IOException | RuntimeException e) {
      out.values().forEach(INDArray::close);
      if (e instanceof WeightsUnavailableException w) {
        throw w;
      }
      throw new WeightsUnavailableException(
          "cannot read the tensors of " + file.toAbsolutePath() + " (truncated file?): " + e, e);
    }
  }

  /** The first megabyte of a legacy file: its pickles (a VGG16 state dict's take a few KB). */
  private static ByteBuffer legacyHead(FileChannel channel) throws IOException {
    ByteBuffer head = ByteBuffer.allocate((int) Math.min(channel.size(), 1 << 20));
    while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
      // read until full
    }
    head.flip();
    return head;
  }

  private void readLegacy(Map<String, INDArray> out) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = legacyHead(channel);
      TorchPickle.read(head, pid -> pid); // magic number
      TorchPickle.read(head, pid -> pid); // protocol version
      TorchPickle.read(head, pid -> pid); // system information
      TorchPickle.read(head, TorchVgg16Weights::legacyStorage); // the state dict, read by check
      Map<String, long[]> where = legacyStorages(channel, head, file);
      for (Map.Entry<String, TorchPickle.Tensor> e : tensors.entrySet()) {
        Storage s = (Storage) e.getValue().storage();
        long[] w = where.get(s.key());
        if (w == null) {
          throw problem(file, "has no storage " + s.key() + " for " + e.getKey());
        }
        long need = e.getValue().offset() + length(e.getValue().shape());
        if (need > w[1]) {
          throw problem(
              file,
              "storage "
                  + s.key()
                  + " holds "
                  + w[1]
                  + " values, "
                  + e.getKey()
                  + " needs "
                  + need);
        }
        INDArray a = allocate(e.getValue());
        out.put(e.getKey(), a);
        MappedByteBuffer map =
            channel.map(
                FileChannel.MapMode.READ_ONLY,
                w[0] + e.getValue().offset() * Float.BYTES,
                length(e.getValue().shape()) * Float.BYTES);
        target(a).put(map);
      }
    }
  }

  /**
   * Where each storage's values start in a legacy file and how many there are, from the pickled
   * list of storage keys after the state dict and each storage's int64 count.
   *
   * @param head positioned after the state dict's pickle
   * @throws WeightsUnavailableException if the file is shorter than its storages need
   */
  private static Map<String, long[]> legacyStorages(FileChannel channel, ByteBuffer head, Path file)
      throws IOException {
    Object keys = TorchPickle.read(head, pid -> pid);
    if (!(keys instanceof List<?> order)) {
      throw problem(file, "has no list of storage keys after its state dict");
    }
    Map<String, long[]> where = new LinkedHashMap<>(); // key -> {position of the values, count}
    long position = head.position();
    ByteBuffer count = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    for (Object key : order) {
      count.clear();
      if (channel.read(count, position) != 8) {
        throw problem(file, "is truncated: it ends before storage " + key);
      }
      long numel = count.getLong(0);
      where.put(String.valueOf(key), new long[] {position + 8, numel});
      position += 8 + numel * Float.BYTES;
    }
    if (position > channel.size()) {
      throw problem(
          file, "is truncated: its storages need " + position + " bytes, it has " + channel.size());
    }
    return where;
  }

  private static long length(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  private static INDArray allocate(TorchPickle.Tensor t) {
    return Nd4j.createUninitialized(DataType.FLOAT, t.shape(), 'c');
  }

  private static ByteBuffer target(INDArray a) {
    long bytes = a.length() * Float.BYTES;
    return new BytePointer(a.data().addressPointer()).capacity(bytes).limit(bytes).asByteBuffer();
  }

  private void fill(INDArray a, TorchPickle.Tensor t, InputStream in) throws IOException {
    ByteBuffer target = target(a);
    in.skipNBytes(t.offset() * Float.BYTES);
    byte[] chunk = new byte[1 << 20];
    while (target.hasRemaining()) {
      int n = in.read(chunk, 0, Math.min(chunk.length, target.remaining()));
      if (n < 0) {
        throw problem(
            file,
            "storage for a tensor of shape "
                + Arrays.toString(t.shape())
                + " ends early (truncated?)");
      }
      target.put(chunk, 0, n);
    }
  }

  private static WeightsUnavailableException problem(Path file, String what) {
    return new WeightsUnavailableException(
        "weights file " + file.toAbsolutePath() + " " + what, null);
  }
}
