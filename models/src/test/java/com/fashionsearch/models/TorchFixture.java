package com.fashionsearch.models;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes torch state dicts of float32 tensors as {@code torch.save} does: the zip container of
 * PyTorch 1.6+ ({@code archive/data.pkl}, {@code archive/data/<key>}, {@code archive/version}), or
 * the legacy stream (pickles of the magic number, protocol version and system information, the
 * state dict, the storage keys, then each storage as an int64 count and its raw values). The
 * pickles are protocol 2, with the opcodes torch's pickler emits for an OrderedDict of tensors.
 */
final class TorchFixture {
  /** A tensor: shape and values in C order. */
  record Tensor(long[] shape, float[] values) {}

  private TorchFixture() {}

  /**
   * torchvision's VGG16 keys with the seeded Keras fixture's weights converted to torch layouts.
   */
  static Map<String, Tensor> fromKeras(List<KerasWeightsFixture.Layer> keras) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int i = 0; i < Vgg16Graph.CONVS.size(); i++) {
      Vgg16Graph.Conv conv = Vgg16Graph.CONVS.get(i);
      float[] k = KerasWeightsFixture.values(keras, conv.name(), "kernel"); // (3, 3, in, out)
      float[] w = new float[k.length]; // [out, in, 3, 3]
      for (int y = 0; y < 3; y++) {
        for (int x = 0; x < 3; x++) {
          for (int ci = 0; ci < conv.in(); ci++) {
            for (int co = 0; co < conv.out(); co++) {
              w[((co * conv.in() + ci) * 3 + y) * 3 + x] =
                  k[((y * 3 + x) * conv.in() + ci) * conv.out() + co];
            }
          }
        }
      }
      String key = "features." + TorchVgg16Weights.FEATURE_INDEX[i];
      out.put(key + ".weight", new Tensor(new long[] {conv.out(), conv.in(), 3, 3}, w));
      float[] b = KerasWeightsFixture.values(keras, conv.name(), "bias");
      out.put(key + ".bias", new Tensor(new long[] {b.length}, b));
    }
    boolean top = keras.stream().anyMatch(l -> l.name().equals("fc1"));
    if (top) {
      for (int i = 0; i < Vgg16Graph.TOP.size(); i++) {
        String layer = Vgg16Graph.TOP.get(i);
        float[] k =
            KerasWeightsFixture.values(keras, layer, "kernel"); // (in, out), fc1's rows H, W, C
        float[] b = KerasWeightsFixture.values(keras, layer, "bias");
        int nOut = b.length;
        int nIn = k.length / nOut;
        float[] w = new float[k.length]; // [out, in], fc1's inputs C, H, W
        for (int r = 0; r < nIn; r++) {
          int torchIn = r;
          if (layer.equals("fc1")) {
            int c = r % 512;
            int hw = r / 512;
            torchIn = c * 49 + hw;
          }
          for (int j = 0; j < nOut; j++) {
            w[j * nIn + torchIn] = k[r * nOut + j];
          }
        }
        String key = "classifier." + TorchVgg16Weights.CLASSIFIER_INDEX[i];
        out.put(key + ".weight", new Tensor(new long[] {nOut, nIn}, w));
        out.put(key + ".bias", new Tensor(new long[] {nOut}, b));
      }
    }
    return out;
  }

  static void writeZip(Path file, Map<String, Tensor> tensors) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      stored(zip, "archive/data.pkl", stateDict(tensors, false));
      int key = 0;
      for (Tensor t : tensors.values()) {
        stored(zip, "archive/data/" + key++, floats(t.values()));
      }
      stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    e.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  static void writeLegacy(Path file, Map<String, Tensor> tensors) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(
          new byte[] {
            (byte) 0x80,
            2,
            (byte) 0x8a,
            10,
            0x6c,
            (byte) 0xfc,
            (byte) 0x9c,
            0x46,
            (byte) 0xf9,
            0x20,
            0x6a,
            (byte) 0xa8,
            0x50,
            0x19,
            '.'
          });
      out.write(new byte[] {(byte) 0x80, 2, 'M', (byte) 0xe9, 0x03, '.'}); // protocol version 1001
      Pickle sys = new Pickle(); // {'little_endian': True}
      sys.op(0x80).op(2).op('}').op('(').unicode("little_endian").op(0x88).op('u').op('.');
      out.write(sys.bytes());
      out.write(stateDict(tensors, true));
      Pickle keys = new Pickle();
      keys.op(0x80).op(2).op(']').op('(');
      for (int i = 0; i < tensors.size(); i++) {
        keys.unicode(Integer.toString(i));
      }
      keys.op('e').op('.');
      out.write(keys.bytes());
      for (Tensor t : tensors.values()) {
        out.write(
            ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(t.values().length)
                .array());
        out.write(floats(t.values()));
      }
    }
  }

  private static byte[] stateDict(Map<String, Tensor> tensors, boolean legacy) {
    Pickle p = new Pickle();
    p.op(0x80).op(2).global("collections", "OrderedDict").op(')').op('R').op('(');
    int key = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor t = e.getValue();
      p.unicode(e.getKey());
      p.global("torch._utils", legacy ? "_rebuild_tensor" : "_rebuild_tensor_v2").op('(');
      p.op('(')
          .unicode("storage")
          .global("torch", "FloatStorage")
          .unicode(Integer.toString(key++))
          .unicode("cpu")
          .binint(t.values().length);
      if (legacy) {
        p.op('N');
      }
      p.op('t').op('Q');
      p.binint(0);
      p.op('(');
      for (long d : t.shape()) {
        p.binint((int) d);
      }
      p.op('t').op('(');
      long stride = 1;
      List<Long> strides = new ArrayList<>();
      for (int i = t.shape().length - 1; i >= 0; i--) {
        strides.add(0, stride);
        stride *= t.shape()[i];
      }
      for (long s : strides) {
        p.binint((int) s);
      }
      p.op('t');
      if (!legacy) {
        p.op(0x89).global("collections", "OrderedDict").op(')').op('R');
      }
      p.op('t').op('R');
    }
    p.op('u').op('.');
    return p.bytes();
  }

  private static byte[] floats(float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return b.array();
  }

  /** Pickle bytes, opcode by opcode. */
  static final class Pickle {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Pickle op(int opcode) {
      out.write(opcode);
      return this;
    }

    Pickle unicode(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.write('X');
      out.writeBytes(
          ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
      out.writeBytes(b);
      return this;
    }

    Pickle global(String module, String name) {
      out.write('c');
      out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
      return this;
    }

    Pickle binint(int v) {
      out.write('J');
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
