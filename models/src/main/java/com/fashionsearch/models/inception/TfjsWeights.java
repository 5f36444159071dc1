package com.fashionsearch.models.inception;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a TensorFlow.js layers model, read from the shard files its {@code
 * weightsManifest} lists. Each group's shards are one byte stream, concatenated in the listed
 * order; its tensors follow one another in manifest order. A tensor with a {@code quantization}
 * entry of dtype {@code uint8} or {@code uint16} holds one integer {@code q} per value, and {@code
 * value = q * scale + min}; one without holds little-endian float32 values. Only the tensors asked
 * for are kept (the rest are skipped over). Immutable; thread-safe.
 */
public final class TfjsWeights {
  private final Map<String, Tensor> tensors;

  /** One tensor: its shape and values in row-major order. */
  public record Tensor(int[] shape, float[] values) {}

  private TfjsWeights(Map<String, Tensor> tensors) {
    this.tensors = tensors;
  }

  /**
   * Reads the tensors of {@code manifest} whose names start with one of {@code layers} followed by
   * a {@code /} (such as {@code conv2d_1/kernel}).
   *
   * @param manifest the {@code weightsManifest} array of {@code model.json}
   * @param folder the folder of {@code model.json}, where the shard paths are resolved
   * @throws IllegalArgumentException for an unsupported dtype or quantisation, or shards whose
   *     total size is not what the manifest describes (naming the group and both sizes)
   * @throws UncheckedIOException if a shard cannot be read
   */
  public static TfjsWeights read(JsonNode manifest, Path folder, Set<String> layers) {
    if (manifest == null || !manifest.isArray()) {
      throw new IllegalArgumentException("model.json has no weightsManifest array");
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    int groupIndex = 0;
    for (JsonNode group : manifest) {
      ByteBuffer bytes = concatenate(group.path("paths"), folder);
      int offset = 0;
      for (JsonNode w : group.path("weights")) {
        String name = w.path("name").asText();
        int[] shape = new int[w.path("shape").size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = w.path("shape").get(i).asInt();
        }
        int count = 1;
        for (int d : shape) {
          count *= d;
        }
        JsonNode q = w.get("quantization");
        String dtype = q == null ? w.path("dtype").asText() : q.path("dtype").asText();
        int width =
            switch (dtype) {
              case "uint8" -> 1;
              case "uint16" -> 2;
              case "float32" -> 4;
              default ->
                  throw new IllegalArgumentException(
                      "weight '" + name + "' has unsupported stored dtype '" + dtype + "'");
            };
        if (q == null && !dtype.equals("float32")) {
          throw new IllegalArgumentException(
              "weight '" + name + "' is " + dtype + " without quantisation parameters");
        }
        if (q != null && (!q.has("scale") || !q.has("min"))) {
          throw new IllegalArgumentException(
              "weight '" + name + "' is quantised without scale and min: " + q);
        }
        int size = count * width;
        if (offset + size > bytes.limit()) {
          throw new IllegalArgumentException(
              "weight group "
                  + groupIndex
                  + " is shorter than its manifest: '"
                  + name
                  + "' needs bytes "
                  + offset
                  + ".."
                  + (offset + size)
                  + " of "
                  + bytes.limit());
        }
        int slash = name.indexOf('/');
        if (slash > 0 && layers.contains(name.substring(0, slash))) {
          float[] values = new float[count];
          if (q == null) {
            bytes.slice(offset, size).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
          } else {
            double scale = q.get("scale").asDouble();
            double min = q.get("min").asDouble();
            for (int i = 0; i < count; i++) {
              int raw =
                  width == 1
                      ? Byte.toUnsignedInt(bytes.get(offset + i))
                      : Short.toUnsignedInt(bytes.getShort(offset + 2 * i));
              values[i] = (float) (raw * scale + min);
            }
          }
          out.put(name, new Tensor(shape, values));
        }
        offset += size;
      }
      if (offset != bytes.limit()) {
        throw new IllegalArgumentException(
            "weight group "
                + groupIndex
                + ": the manifest describes "
                + offset
                + " bytes, its shards hold "
                + bytes.limit());
      }
      groupIndex++;
    }
    return new TfjsWeights(Map.copyOf(out));
  }

  private static ByteBuffer concatenate(JsonNode paths, Path folder) {
    byte[][] parts = new byte[paths.size()][];
    int total = 0;
    for (int i = 0; i < parts.length; i++) {
      Path shard = folder.resolve(paths.get(i).asText());
      try {
        parts[i] = Files.readAllBytes(shard);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read weight shard " + shard.toAbsolutePath(), e);
      }
      total += parts[i].length;
    }
    ByteBuffer all = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] part : parts) {
      all.put(part);
    }
    return all.flip();
  }

  /**
   * The tensor named {@code name} ({@code layer/param}).
   *
   * @throws IllegalArgumentException if it was not read
   */
  public Tensor tensor(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no weight '" + name + "' was read");
    }
    return t;
  }

  /** The tensors of layer {@code layer}, by parameter name ({@code kernel}, {@code beta}, ...). */
  public Map<String, Tensor> ofLayer(String layer) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    String prefix = layer + "/";
    tensors.keySet().stream()
        .filter(k -> k.startsWith(prefix))
        .sorted()
        .forEach(k -> out.put(k.substring(prefix.length()), tensors.get(k)));
    return out;
  }

  /** The names of the tensors read, sorted. */
  public String[] names() {
    String[] names = tensors.keySet().toArray(new String[0]);
    Arrays.sort(names);
    return names;
  }
}
