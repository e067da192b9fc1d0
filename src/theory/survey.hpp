// The whole catalog at a glance: every element-wise entry's universality class and critical point (Roberts,
// Yaida & Hanin, "The Principles of Deep Learning Theory", 2022, ch. 5) and its edge-of-chaos σ_w at one σ_b
// (Poole et al., NeurIPS 2016; Schoenholz et al., ICLR 2017); docs/theory.md, "Effective theory". The values
// behind `actlab theory classify --all`.
//
//   auto s = survey_catalog().value();   // ~60 rows, in catalog order; < 10 s for the whole catalog
//   s.rows[0].activation;  s.rows[0].classification->kind;  s.rows[0].eoc_sigma_w;
//   s.to_json();                          // {"activations": [...]}
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "theory/effective.hpp"

namespace actlab::theory {

// The σ_b at which the survey reports each entry's EOC σ_w.
constexpr double kSurveySigmaB = 0.2;

struct SurveyRow {
  std::string activation;                        // the catalog name
  std::optional<Classification> classification;  // absent when classify failed: see error
  std::string error;                             // classify's message, when it failed
  std::optional<double> eoc_sigma_w;             // the first EOC point's σ_w at kSurveySigmaB; absent: none
};

struct CatalogSurvey {
  std::vector<SurveyRow> rows;

  // {"activations": [{"activation", <Classification::to_json()> or "error",
  //  "eoc_sigma_w_at_sigma_b_0.2"}, ...]}.
  Json to_json() const;
};

// classify and eoc_points(·, kSurveySigmaB) for every element-wise catalog entry at its default parameters.
// A failed classification is a row with an error, not a failure. Errors: an entry that cannot be made or
// integrated (a broken catalog).
Result<CatalogSurvey> survey_catalog();

}  // namespace actlab::theory
