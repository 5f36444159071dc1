import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The embedder's power normalisation (square root of the non-negative pooled features) made
 * differentiable at 0: f(x) = sqrt(x + eps) - sqrt(eps), f'(x) = 1 / (2 sqrt(x + eps)).
 */
public class PowerActivation extends BaseActivationFunction {
  private double eps = 1e-6;

  public PowerActivation() {}

  public PowerActivation(double eps) { this.eps = eps; }

  public double getEps() { return eps; }

  public void setEps(double eps) { this.eps = eps; }

  @Override
  public INDArray getActivation(INDArray in, boolean training) {
    Transforms.relu(in, false);
    in.addi(eps);
    Transforms.sqrt(in, false);
    in.subi(Math.sqrt(eps));
    return in;
  }

  @Override
  public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
    INDArray g = Transforms.relu(in, true).addi(eps);
    Transforms.sqrt(g, false).muli(2);
    INDArray dLdz = epsilon.div(g);
    g.close();
    return new Pair<>(dLdz, null);
  }

  @Override
  public String toString() { return "power(eps=" + eps + ")"; }
}
