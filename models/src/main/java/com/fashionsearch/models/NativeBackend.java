package com.fashionsearch.models;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses and reports the ND4J native build. The default build carries two CPU builds of
 * nd4j-native: the plain {@code linux-x86_64} and the much faster {@code linux-x86_64-onednn-avx2}
 * (oneDNN convolutions). {@link #select()} picks the oneDNN one when the CPU has AVX2 and that
 * build is on the class path, and the plain one otherwise (JavaCPP alone would take the oneDNN
 * build even on a CPU without AVX2), unless the user chose already with {@code
 * -Dorg.bytedeco.javacpp.platform.extension=...} or turned it off with {@code
 * -Dfashion.nd4j.onednn=false}. It must run before ND4J loads: every entry point of this module
 * calls it. {@link #logOnce()} logs what loaded (backend, build, device, threads). Thread-safe.
 */
public final class NativeBackend {
  /** JavaCPP's property that selects a native build variant. */
  public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";

  /** Set to {@code false} to keep the plain CPU build even on an AVX2 CPU. */
  public static final String ONEDNN_PROPERTY = "fashion.nd4j.onednn";

  static final String ONEDNN_AVX2 = "-onednn-avx2";

  private static final Logger LOG = LoggerFactory.getLogger(NativeBackend.class);
  private static volatile boolean logged;
  private static volatile boolean selected;

  private NativeBackend() {}

  /**
   * Selects the oneDNN AVX2 build when it can run here; a no-op after the first call, and too late
   * once ND4J has loaded.
   */
  public static synchronized void select() {
    if (selected) {
      return;
    }
    selected = true;
    if (System.getProperty(EXTENSION_PROPERTY) != null
        || System.getProperty("javacpp.platform.extension") != null) {
      return; // the user chose
    }
    // not Loader.getPlatform(): that would load and cache JavaCPP's properties before we set ours
    String resource = "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64" + ONEDNN_AVX2 + "/";
    if (NativeBackend.class.getClassLoader().getResource(resource) == null) {
      return; // not packaged (or the CUDA build): nothing to choose
    }
    // JavaCPP would load the oneDNN AVX2 build whenever it is on the class path (nd4j-native's
    // presets list "-onednn-avx2" before the plain build); an empty extension forces the plain one.
    if (!Boolean.parseBoolean(System.getProperty(ONEDNN_PROPERTY, "true"))) {
      LOG.info("-D{}=false: using the plain nd4j-native build", ONEDNN_PROPERTY);
      System.setProperty(EXTENSION_PROPERTY, "");
    } else if (!cpuHasAvx2()) {
      LOG.info("the CPU has no AVX2: using the plain nd4j-native build");
      System.setProperty(EXTENSION_PROPERTY, "");
    } else {
      System.setProperty(EXTENSION_PROPERTY, ONEDNN_AVX2);
    }
  }

  /** Whether /proc/cpuinfo lists the avx2 flag (false where there is no /proc/cpuinfo). */
  static boolean cpuHasAvx2() {
    try {
      String info = Files.readString(Path.of("/proc/cpuinfo"), StandardCharsets.US_ASCII);
      for (String line : info.split("\n")) {
        if (line.startsWith("flags") && (" " + line + " ").contains(" avx2 ")) {
          return true;
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The native library that loaded: the path of libnd4j's JNI library, naming its build. */
  public static String loadedLibrary() {
    Nd4j.getBackend();
    for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
      if (e.getKey().contains("nd4j") || e.getValue().contains("nd4j")) {
        if (e.getValue().contains("jnind4j")) {
          return e.getValue();
        }
      }
    }
    return String.valueOf(Loader.getLoadedLibraries().values());
  }

  /** Whether the loaded build has oneDNN (from libnd4j's build information). */
  public static boolean hasOneDnn() {
    String info = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
    return info != null && info.toUpperCase(Locale.ROOT).contains("ONEDNN");
  }

  /**
   * A one-line description: backend, native library, oneDNN or not, environment (threads, device).
   */
  public static String describe() {
    Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
    Map<String, Object> info = new TreeMap<>();
    for (Map.Entry<Object, Object> e : env.entrySet()) {
      info.put(String.valueOf(e.getKey()), e.getValue());
    }
    info.remove("memoryBandwidth");
    return "backend="
        + Nd4j.getBackend().getClass().getSimpleName()
        + " onednn="
        + hasOneDnn()
        + " library="
        + loadedLibrary()
        + " env="
        + info;
  }

  /** Logs {@link #describe()} at INFO the first time it is called. */
  public static void logOnce() {
    select();
    if (!logged) {
      synchronized (NativeBackend.class) {
        if (!logged) {
          logged = true;
          LOG.info("ND4J {}", describe());
        }
      }
    }
  }
}
