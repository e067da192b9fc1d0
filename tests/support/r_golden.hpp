// Test support: tests/golden/rdata_sets.txt, the facts R itself reports about the data sets of Debian's
// r-cran-mlbench and r-cran-kernlab (made by tools/gen_rdata_golden.R).
//
//   const auto& sets = r_golden();              // name → RGoldenSet
//   sets.at("Sonar").rows;                      // 208
//   sets.at("Sonar").columns.back().levels;     // {"M", "R"}
#pragma once

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/golden.hpp"

namespace actlab::testing {

struct RGoldenColumn {
  std::string name, cls;  // cls: numeric, integer, logical, factor, ordered, character
  int nlevels = 0, nas = 0;
  std::string first,
      sum;  // "%.17g" of the first value and of the sum over non-NA rows (factor codes), or "NA"
  std::vector<std::string> levels;
  std::vector<int> counts;  // rows per level
};

struct RGoldenSet {
  std::string package, name;
  int rows = 0, cols = 0, incomplete_rows = 0;
  std::vector<RGoldenColumn> columns;

  const RGoldenColumn* column(const std::string& n) const {
    for (const auto& c : columns)
      if (c.name == n) return &c;
    return nullptr;
  }
  std::string path() const { return "/usr/lib/R/site-library/" + package + "/data/" + name + ".rda"; }
};

inline const std::map<std::string, RGoldenSet>& r_golden() {
  static const std::map<std::string, RGoldenSet> sets = [] {
    std::map<std::string, RGoldenSet> out;
    std::ifstream in(source_path("tests/golden/rdata_sets.txt"));
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::istringstream ss(line);
      std::string kind, set;
      ss >> kind >> set;
      if (kind == "set") {
        RGoldenSet s;
        s.package = set;
        ss >> s.name >> s.rows >> s.cols >> s.incomplete_rows;
        out[s.name] = s;
        continue;
      }
      RGoldenSet& s = out[set];
      if (kind == "col") {
        RGoldenColumn c;
        ss >> c.name >> c.cls >> c.nlevels >> c.nas >> c.first >> c.sum;
        s.columns.push_back(c);
        continue;
      }
      std::string col, rest;
      ss >> col;
      std::getline(ss, rest);
      if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
      RGoldenColumn* c = nullptr;
      for (auto& x : s.columns)
        if (x.name == col) c = &x;
      if (!c) continue;
      if (kind == "levels") {
        std::stringstream ls(rest);
        std::string level;
        while (std::getline(ls, level, '\t')) c->levels.push_back(level);
      } else if (kind == "counts") {
        std::istringstream cs(rest);
        int k;
        while (cs >> k) c->counts.push_back(k);
      }
    }
    return out;
  }();
  return sets;
}

}  // namespace actlab::testing
