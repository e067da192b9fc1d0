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
  // Homogeneous φ of degree p: Var_K(σ²) = K^(2p) Var_1(σ²), so the source and K/K' come from log K exactly.
  const double var1 = rec.degree ? g.expect(1.0).var_phi2 : 0.0;
  for (std::size_t i = 0; i + 1 < rec.layers.size(); ++i) {
    const double K = rec.layers[i].K, Kn = rec.layers[i + 1].K;
    if (!(Kn > 0.0)) break;
    const double chi = rec.layers[i].chi_par;
    double ratio = 0.0, source = 0.0;
    if (rec.degree) {
      const double lk = rec.layers[i].log_K, lkn = rec.layers[i + 1].log_K;
      ratio = std::exp(lk - lkn);
      source = C_W * C_W * var1 * std::exp(2.0 * *rec.degree * lk - 2.0 * lkn);
    } else {
      // (K/Kn)² and (1/Kn)² are formed as ratios first so that huge or tiny K do not overflow.
      const Moments m = g.expect(K);
      ratio = K / Kn;
      source = C_W * C_W * (m.var_phi2 / Kn) / Kn;
    }
    u = source + chi * chi * ratio * ratio * u;
    if (!std::isfinite(u)) break;
    out.push_back({rec.layers[i + 1].l, Kn, u});
  }
  return out;
}

}  // namespace actlab::theory
