// Class, critical point and EOC σ_w of every element-wise catalog entry (see survey.hpp).
#include "theory/survey.hpp"

#include <utility>

#include "activations/activation.hpp"
#include "activations/catalog.hpp"
#include "theory/gaussian.hpp"
#include "theory/mean_field.hpp"

namespace actlab::theory {

Json CatalogSurvey::to_json() const {
  Json rows_json = Json::array();
  for (const SurveyRow& r : rows) {
    Json j{{"activation", r.activation}};
    if (r.classification) {
      j.update(r.classification->to_json());
    } else {
      j["error"] = r.error;
    }
    j["eoc_sigma_w_at_sigma_b_0.2"] = r.eoc_sigma_w ? json_number(*r.eoc_sigma_w) : Json(nullptr);
    rows_json.push_back(std::move(j));
  }
  return Json{{"activations", std::move(rows_json)}};
}

Result<CatalogSurvey> survey_catalog() {
  CatalogSurvey out;
  for (const auto& e : activations::catalog()) {
    if (e.row_wise()) continue;
    auto act = activations::Activation::make(e.name);
    if (!act) return act.status();
    auto g = GaussianIntegrator::make(*act);
    if (!g) return g.status();
    SurveyRow row{.activation = e.name, .classification = {}, .error = {}, .eoc_sigma_w = {}};
    if (auto c = classify(*g)) {
      row.classification = std::move(*c);
    } else {
      row.error = c.status().message();
    }
    auto eoc = eoc_points(*g, kSurveySigmaB);
    if (eoc && !eoc->empty()) row.eoc_sigma_w = eoc->front().sigma_w;
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace actlab::theory
