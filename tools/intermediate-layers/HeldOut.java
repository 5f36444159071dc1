import com.fashionsearch.models.learned.*;
import java.nio.file.*;
import java.util.*;

/**
 * The learned projection trained on every product of catalog A with its labels (the five default
 * columns, ProjectionSweep's settings), then each product of catalogs B... queries A by exact top 10
 * in the projected space: P@10[articleType], P@10[articleType and baseColour], per masterCategory.
 * The in-memory counterpart of `fashion eval --queries` on another catalog's photos.
 *
 * <p>Usage: HeldOut CATALOG_A CACHE[,CACHE...] VISUAL_DIM CATALOG_B CACHE[,CACHE...] [CATALOG_C ...]
 * (caches concatenated as ProjectionSweep does; VISUAL_DIM 0 = all of it in the blend).
 */
public class HeldOut {
  static ProjectionSweep.Rows load(Path catalog, String caches) throws Exception {
    List<Map<String, float[]>> cs = new ArrayList<>();
    for (String c : caches.split(",")) cs.add(ProjectionSweep.readCache(Path.of(c)));
    return ProjectionSweep.load(catalog, cs, List.of());
  }
  public static void main(String[] a) throws Exception {
    ProjectionSweep.Rows A = load(Path.of(a[0]), a[1]);
    int rawdim = Integer.parseInt(a[2]);
    List<String> heads = List.of("articleType","subCategory","gender","usage","baseColour");
    Map<String,Integer> ci = Map.of("gender",1,"masterCategory",2,"subCategory",3,"articleType",4,"baseColour",5,"usage",8);
    float[][] xs = A.vecs().toArray(new float[0][]);
    Map<String,String[]> labels = new LinkedHashMap<>();
    for (String h : heads) { String[] l = new String[xs.length]; for (int i=0;i<xs.length;i++) l[i]=A.rows().get(i)[ci.get(h)]; labels.put(h,l); }
    var s = ProjectionTrainer.Settings.defaults(heads).withBlend(0.75).withEpochs(30).withValidationShare(0);
    s = new ProjectionTrainer.Settings(s.columns(), 256, s.space(), s.blend(), s.epochs(), s.batchSize(), s.learningRate(), s.l2(), s.inputRetain(), s.scale(), s.minClassSize(), 0, s.seed());
    System.out.println("A " + xs.length + " x " + xs[0].length);
    try (var t = new ProjectionTrainer(s).train(xs, rawdim > 0 ? rawdim : xs[0].length, labels)) {
      LabelProjection p = t.projection();
      float[][] cat = new float[xs.length][]; for (int i=0;i<xs.length;i++) cat[i]=p.apply(xs[i]);
      for (int qi = 3; qi + 1 < a.length; qi += 2) {
        ProjectionSweep.Rows B = load(Path.of(a[qi]), a[qi+1]);
        double t1=0,t2=0; int n=0; Map<String,double[]> per = new TreeMap<>();
        for (int q=0;q<B.vecs().size();q++) {
          float[] v = p.apply(B.vecs().get(q));
          int[] top = top10(cat, v); String[] qr = B.rows().get(q); int h1=0,h2=0;
          for (int tt : top) { String[] cr = A.rows().get(tt); if (cr[4].equals(qr[4])) { h1++; if (cr[5].equals(qr[5])) h2++; } }
          t1+=h1/10.0; t2+=h2/10.0; n++;
          per.computeIfAbsent(qr[2], k->new double[2]); per.get(qr[2])[0]+=h1/10.0; per.get(qr[2])[1]++;
        }
        StringBuilder sb = new StringBuilder();
        per.forEach((k,v)-> { if (v[1] >= 20) sb.append(String.format(" %s %.3f (%d)", k, v[0]/v[1], (int)v[1])); });
        System.out.printf("queries %s (%d): P@10[type]=%.3f P@10[type&colour]=%.3f%s%n", a[qi], n, t1/n, t2/n, sb);
      }
    }
  }
  static int[] top10(float[][] cat, float[] q) {
    int[] best = new int[10]; float[] bs = new float[10]; Arrays.fill(bs, -9); 
    for (int i=0;i<cat.length;i++) { float s=0; float[] c=cat[i]; for (int j=0;j<q.length;j++) s+=c[j]*q[j];
      if (s > bs[9]) { int k=9; while (k>0 && bs[k-1]<s) { bs[k]=bs[k-1]; best[k]=best[k-1]; k--; } bs[k]=s; best[k]=i; } }
    return best;
  }
}
