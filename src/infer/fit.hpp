// Fitting a work distribution to self times: each candidate the scenario format has
// (docs/scenario-format.md, Distributions) fitted by maximum likelihood, the one with the
// lowest AIC = 2k - 2 ln L chosen. Candidates: exp (k=1), normal (2; its truncation at 0 not
// modelled), lognormal (2), erlang (2: phases and mean; phases near mean^2/variance, each
// tried by likelihood). lognormal and erlang need every value above 0; a lognormal whose
// deviation passes the format's 10 years is not tried. All values equal:
// a constant, no fit.
#pragma once

#include <string>
#include <vector>

namespace svcsim::infer {

struct fit_candidate {
  std::string text;  // the distribution as the scenario writes it, e.g. "exp(1.25ms)"
  double aic = 0;
};

struct fit_result {
  std::string text;                       // the chosen distribution
  std::vector<fit_candidate> candidates;  // those tried, in a fixed order
  std::string not_tried;                  // why some were not, or ""
  double mean_ns = 0;                     // of the values
};

// `values_ns` not empty, every value >= 0.
fit_result fit_work(const std::vector<double>& values_ns);

// A duration as the scenario format reads it, in ms with 6 significant digits ("1.23457ms");
// "0ms" for 0; at most the format's limit, "87660h" (10 years).
std::string duration_text(double ns);

}  // namespace svcsim::infer
