// Four-point vertex recursion (docs/theory.md, "Four-point vertex and Monte Carlo").
#include "theory/vertex.hpp"

#include <cmath>

namespace actlab::theory {

Result<std::vector<VertexLayer>> vertex_recursion(const GaussianIntegrator& g, double C_W,
                                                  const KernelRecursion& rec) {
  if (!(std::isfinite(C_W) && C_W >= 0.0))
    return Status::invalid("vertex_recursion: C_W must be finite and ≥ 0");
  if (rec.layers.empty()) return Status::invalid("vertex_recursion: the kernel recursion has no layers");
  std::vector<VertexLayer> out;
  out.push_back({rec.layers[0].l, rec.layers[0].K, 0.0});
  double u = 0.0;
  for (std::size_t i = 0; i + 1 < rec.layers.size(); ++i) {
    const double K = rec.layers[i].K, Kn = rec.layers[i + 1].K;
    if (!(Kn > 0.0)) break;
    const Moments m = g.expect(K);
    const double chi = rec.layers[i].chi_par;
    // (K/Kn)² and (1/Kn)² are formed as ratios first so that huge or tiny K do not overflow.
    const double ratio = K / Kn;
    const double source = C_W * C_W * (m.var_phi2 / Kn) / Kn;
    u = source + chi * chi * ratio * ratio * u;
    if (!std::isfinite(u)) break;
    out.push_back({rec.layers[i + 1].l, Kn, u});
  }
  return out;
}

}  // namespace actlab::theory
