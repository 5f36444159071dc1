package com.fashionsearch.models;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.DataType;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.global.hdf5;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The parts of a Keras HDF5 file that a weights-only file ({@code model.save_weights(...)}) holds:
 * the root attribute {@code layer_names}, each layer's group with its attribute {@code
 * weight_names}, and the float datasets those names point to. A dataset is found at its name
 * relative to the layer's group ({@code /block1_conv1/block1_conv1/kernel:0} in Keras 2 files) or,
 * failing that, at the name's last component ({@code /block1_conv1/kernel:0}).
 *
 * <p>Not thread-safe: one owner. Every call into the HDF5 library holds {@link
 * Hdf5Archive#LOCK_OBJECT}, the lock DL4J's own Keras import takes, because the library is not
 * thread-safe.
 */
final class KerasWeightsFile implements AutoCloseable {
  static {
    Loader.load(hdf5.class);
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      // errors become exceptions with their message; the library's own stack dump would only be
      // noise
      org.bytedeco.hdf5.Exception.dontPrint();
    }
  }

  private final Path path;
  private final H5File file;

  private KerasWeightsFile(Path path, H5File file) {
    this.path = path;
    this.file = file;
  }

  /**
   * Opens a file read-only.
   *
   * @throws WeightsUnavailableException if it is not a readable HDF5 file
   */
  static KerasWeightsFile open(Path path) {
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      try {
        return new KerasWeightsFile(path, new H5File(path.toString(), hdf5.H5F_ACC_RDONLY()));
      } catch (RuntimeException e) {
        throw new WeightsUnavailableException(
            "cannot open "
                + path.toAbsolutePath()
                + " as an HDF5 file (truncated or damaged?): "
                + oneLine(e),
            e);
      }
    }
  }

  /** Whether the root has the attribute (a whole saved model has {@code model_config}). */
  boolean hasRootAttribute(String name) {
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      return file.attrExists(name);
    }
  }

  /** The root attribute {@code layer_names}, in file order. */
  List<String> layerNames() {
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      return strings(file, "layer_names", "/");
    }
  }

  /**
   * A layer's {@code weight_names}; empty for a layer without weights (pooling, flatten, input).
   */
  List<String> weightNames(String layer) {
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      Group group = openGroup(layer);
      try {
        return strings(group, "weight_names", "/" + layer);
      } finally {
        group.deallocate();
      }
    }
  }

  /** The shape of a layer's weight. */
  long[] shape(String layer, String weightName) {
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      Group group = openGroup(layer);
      DataSet dataset = openDataSet(group, layer, weightName);
      try {
        return dims(dataset);
      } finally {
        dataset.deallocate();
        group.deallocate();
      }
    }
  }

  /**
   * A layer's weight as a new float array of the dataset's shape, in C order; HDF5 converts other
   * float types to float32 as it reads.
   *
   * @throws WeightsUnavailableException if the data cannot be read (a truncated file)
   */
  INDArray read(String layer, String weightName) {
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      Group group = openGroup(layer);
      DataSet dataset = openDataSet(group, layer, weightName);
      try {
        DataType stored = dataset.asAbstractDs().getDataType();
        try {
          if (stored._getClass() != hdf5.H5T_FLOAT) {
            throw problem("dataset " + layer + "/" + weightName + " is not floating point");
          }
        } finally {
          stored.deallocate();
        }
        long[] shape = dims(dataset);
        INDArray array =
            Nd4j.createUninitialized(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape, 'c');
        FloatPointer target = new FloatPointer(array.data().addressPointer());
        try {
          dataset.read(target, new DataType(PredType.NATIVE_FLOAT()));
        } catch (RuntimeException e) {
          array.close();
          throw problem(
              "cannot read " + layer + "/" + weightName + " (truncated file?): " + oneLine(e), e);
        }
        return array;
      } finally {
        dataset.deallocate();
        group.deallocate();
      }
    }
  }

  private Group openGroup(String layer) {
    try {
      return file.openGroup(layer);
    } catch (RuntimeException e) {
      throw problem("layer '" + layer + "' is listed in layer_names but has no group", e);
    }
  }

  private DataSet openDataSet(Group group, String layer, String weightName) {
    if (exists(group, weightName)) {
      return group.openDataSet(weightName);
    }
    String last = weightName.substring(weightName.lastIndexOf('/') + 1);
    if (!last.equals(weightName) && exists(group, last)) {
      return group.openDataSet(last);
    }
    throw problem(
        "layer '"
            + layer
            + "' lists weight '"
            + weightName
            + "' but the file has no dataset /"
            + layer
            + "/"
            + weightName
            + (last.equals(weightName) ? "" : " or /" + layer + "/" + last));
  }

  /** Whether a path exists below a group, without failing on a missing intermediate group. */
  private static boolean exists(Group group, String relative) {
    String prefix = "";
    for (String part : relative.split("/")) {
      prefix = prefix.isEmpty() ? part : prefix + "/" + part;
      try {
        if (!group.nameExists(prefix)) {
          return false;
        }
      } catch (RuntimeException e) {
        return false;
      }
    }
    return true;
  }

  private static long[] dims(DataSet dataset) {
    DataSpace space = dataset.getSpace();
    try {
      long[] dims = new long[space.getSimpleExtentNdims()];
      space.getSimpleExtentDims(dims);
      return dims;
    } finally {
      space.deallocate();
    }
  }

  /**
   * A string-array attribute as Keras writes it: fixed-length byte strings, padded with NULs. An
   * empty array (of any type, as h5py writes an empty list) is an empty list. A list too long for
   * one attribute is split by Keras into {@code name0}, {@code name1}, ...; those are read in
   * order.
   */
  private List<String> strings(Group owner, String name, String where) {
    if (!owner.attrExists(name)) {
      if (owner.attrExists(name + "0")) {
        List<String> all = new ArrayList<>();
        for (int chunk = 0; owner.attrExists(name + chunk); chunk++) {
          all.addAll(strings(owner, name + chunk, where));
        }
        return all;
      }
      throw problem("HDF5 group " + where + " has no attribute '" + name + "'");
    }
    Attribute attribute = owner.openAttribute(name);
    DataSpace space = attribute.getSpace();
    DataType type = attribute.getDataType();
    try {
      long count = space.getSimpleExtentNpoints();
      if (count == 0) {
        return List.of();
      }
      if (type._getClass() != hdf5.H5T_STRING || type.isVariableStr()) {
        throw problem(
            "attribute '"
                + name
                + "' of "
                + where
                + " is not an array of fixed-length strings (as Keras writes it)");
      }
      int width = (int) type.getSize();
      byte[] bytes = new byte[Math.multiplyExact((int) count, width)];
      try (BytePointer buffer = new BytePointer(bytes.length)) {
        attribute.read(type, (org.bytedeco.javacpp.Pointer) buffer);
        buffer.get(bytes);
      }
      List<String> out = new ArrayList<>((int) count);
      for (int i = 0; i < count; i++) {
        int end = i * width;
        while (end < (i + 1) * width && bytes[end] != 0) {
          end++;
        }
        out.add(new String(bytes, i * width, end - i * width, StandardCharsets.UTF_8).strip());
      }
      return out;
    } finally {
      type.deallocate();
      space.deallocate();
      attribute.deallocate();
    }
  }

  private WeightsUnavailableException problem(String what) {
    return problem(what, null);
  }

  private WeightsUnavailableException problem(String what, Throwable cause) {
    return new WeightsUnavailableException(
        "weights file " + path.toAbsolutePath() + ": " + what, cause);
  }

  /** An HDF5 exception's message on one line. */
  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replaceAll("\\s+", " ").strip();
  }

  @Override
  public void close() {
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      file.deallocate();
    }
  }
}
