package com.fashionsearch.models;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.DataType;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.StrType;
import org.bytedeco.hdf5.global.hdf5;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;

/**
 * Writes HDF5 files in the layout of Keras' {@code model.save_weights}: a root attribute {@code
 * layer_names}, one group per layer with an attribute {@code weight_names} (fixed-length byte
 * strings, as h5py stores a numpy {@code S} array; an empty float64 array for a layer without
 * weights), and float32 datasets at {@code /<layer>/<weight name>} (Keras 2's names hold a slash,
 * so {@code /block1_conv1/block1_conv1/kernel:0}) or, in the flat variant, at the name's last part.
 */
final class KerasWeightsFixture {
  static {
    Loader.load(hdf5.class);
  }

  /**
   * One weight: its Keras name ({@code fc1/kernel:0}), shape and values (null: no data written).
   */
  record Weight(String name, long[] shape, float[] values) {}

  /** One layer. */
  record Layer(String name, List<Weight> weights) {}

  private KerasWeightsFixture() {}

  /** Writes the layers; {@code nested} puts a dataset at its full name, else at its last part. */
  static void write(Path file, List<Layer> layers, boolean nested) {
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      H5File h5 = new H5File(file.toString(), hdf5.H5F_ACC_TRUNC());
      try {
        strings(h5, "layer_names", layers.stream().map(Layer::name).toList());
        for (Layer layer : layers) {
          Group g = h5.createGroup(layer.name());
          strings(g, "weight_names", layer.weights().stream().map(Weight::name).toList());
          for (Weight w : layer.weights()) {
            String path = nested ? w.name() : w.name().substring(w.name().lastIndexOf('/') + 1);
            if (path.contains("/")) {
              String parent = path.substring(0, path.lastIndexOf('/'));
              if (!g.nameExists(parent)) {
                g.createGroup(parent).deallocate();
              }
            }
            DataSpace space = new DataSpace(w.shape().length, w.shape());
            DataType type = new DataType(PredType.IEEE_F32LE());
            DataSet ds = g.createDataSet(path, type, space);
            if (w.values() != null) {
              try (FloatPointer data = new FloatPointer(w.values())) {
                ds.write(data, new DataType(PredType.NATIVE_FLOAT()));
              }
            }
            ds.deallocate();
            space.deallocate();
          }
          g.deallocate();
        }
      } finally {
        h5.deallocate();
      }
    }
  }

  /**
   * An HDF5 file with one empty group and no root attributes: neither a Keras model nor weights.
   */
  static void writeBare(Path file) {
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      H5File h5 = new H5File(file.toString(), hdf5.H5F_ACC_TRUNC());
      h5.createGroup("data").deallocate();
      h5.deallocate();
    }
  }

  /**
   * An HDF5 file whose root has one fixed-length string attribute (a whole model's model_config).
   */
  static void writeRootAttribute(Path file, String name, String value) {
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      H5File h5 = new H5File(file.toString(), hdf5.H5F_ACC_TRUNC());
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      StrType type = new StrType(PredType.C_S1(), bytes.length);
      DataSpace scalar = new DataSpace(hdf5.H5S_SCALAR);
      Attribute a = h5.createAttribute(name, type, scalar);
      try (BytePointer data = new BytePointer(bytes)) {
        a.write(type, (org.bytedeco.javacpp.Pointer) data);
      }
      a.deallocate();
      scalar.deallocate();
      type.deallocate();
      h5.deallocate();
    }
  }

  private static void strings(Group owner, String name, List<String> values) {
    if (values.isEmpty()) {
      DataSpace space = new DataSpace(1, new long[] {0});
      Attribute a = owner.createAttribute(name, new DataType(PredType.IEEE_F64LE()), space);
      a.deallocate();
      space.deallocate();
      return;
    }
    int width =
        values.stream().mapToInt(v -> v.getBytes(StandardCharsets.UTF_8).length).max().orElse(1);
    byte[] bytes = new byte[values.size() * width];
    for (int i = 0; i < values.size(); i++) {
      byte[] v = values.get(i).getBytes(StandardCharsets.UTF_8);
      System.arraycopy(v, 0, bytes, i * width, v.length);
    }
    StrType type = new StrType(PredType.C_S1(), width);
    type.setStrpad(hdf5.H5T_STR_NULLPAD);
    DataSpace space = new DataSpace(1, new long[] {values.size()});
    Attribute a = owner.createAttribute(name, type, space);
    try (BytePointer data = new BytePointer(bytes)) {
      a.write(type, (org.bytedeco.javacpp.Pointer) data);
    }
    a.deallocate();
    space.deallocate();
    type.deallocate();
  }

  /** A layer with a kernel and a bias named as Keras 2 names them. */
  static Layer layer(String name, long[] kernel, float[] kernelValues, float[] biasValues) {
    return new Layer(
        name,
        List.of(
            new Weight(name + "/kernel:0", kernel, kernelValues),
            new Weight(name + "/bias:0", new long[] {kernel[kernel.length - 1]}, biasValues)));
  }

  /**
   * VGG16's layers as Keras lists them (input, the convolutions with their poolings, then flatten
   * and the dense layers when {@code classes > 0}); with values drawn from {@code seed} when {@code
   * values}, at He scale (uniform in +-sqrt(6 / fan-in)) so that activations neither vanish nor
   * explode, biases uniform in +-0.05; without values (shapes only) otherwise.
   */
  static List<Layer> vgg16(long seed, int classes, boolean values) {
    List<Layer> layers = new ArrayList<>();
    layers.add(new Layer("input_1", List.of()));
    int block = 1;
    int index = 0;
    for (Vgg16Graph.Conv conv : Vgg16Graph.CONVS) {
      int b = conv.name().charAt(5) - '0';
      if (b != block) {
        layers.add(new Layer("block" + block + "_pool", List.of()));
        block = b;
      }
      long[] shape = {3, 3, conv.in(), conv.out()};
      layers.add(weighted(conv.name(), shape, 9 * conv.in(), seed + index++, values));
    }
    layers.add(new Layer("block5_pool", List.of()));
    if (classes > 0) {
      layers.add(new Layer("flatten", List.of()));
      layers.add(
          weighted(
              "fc1",
              new long[] {Vgg16Graph.FC1_INPUTS, 4096},
              Vgg16Graph.FC1_INPUTS,
              seed + index++,
              values));
      layers.add(weighted("fc2", new long[] {4096, 4096}, 4096, seed + index++, values));
      layers.add(weighted("predictions", new long[] {4096, classes}, 4096, seed + index, values));
    }
    return layers;
  }

  private static Layer weighted(String name, long[] shape, int fanIn, long seed, boolean values) {
    if (!values) {
      return layer(name, shape, null, null);
    }
    SplittableRandom random = new SplittableRandom(seed);
    int n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, (int) d);
    }
    float[] kernel = new float[n];
    double limit = Math.sqrt(6.0 / fanIn);
    for (int i = 0; i < n; i++) {
      kernel[i] = (float) random.nextDouble(-limit, limit);
    }
    float[] bias = new float[(int) shape[shape.length - 1]];
    for (int i = 0; i < bias.length; i++) {
      bias[i] = (float) random.nextDouble(-0.05, 0.05);
    }
    return layer(name, shape, kernel, bias);
  }

  /** The values of a layer's weight ({@code kernel} or {@code bias}). */
  static float[] values(List<Layer> layers, String layer, String weight) {
    for (Layer l : layers) {
      if (l.name().equals(layer)) {
        for (Weight w : l.weights()) {
          if (w.name().endsWith("/" + weight + ":0")) {
            return w.values();
          }
        }
      }
    }
    throw new IllegalArgumentException("no " + layer + "/" + weight + " in the fixture");
  }
}
