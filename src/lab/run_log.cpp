#include "lab/run_log.hpp"

#include <fstream>

namespace actlab::lab {

RunLog::~RunLog() {
  if (out_) std::fclose(out_);
}

Status RunLog::open(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("key") || !j.contains("run")) continue;
    auto r = RunSummary::from_json(j["run"]);
    if (r) {
      const std::string key = json_dump(j["key"], false);
      runs_[key] = std::move(*r);
      from_disk_.insert(key);
    }
  }
  out_ = std::fopen(path.c_str(), "a");
  if (!out_) return Status::invalid_field("out", "cannot write " + path);
  return Status::ok();
}

std::optional<RunSummary> RunLog::find(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = runs_.find(key);
  if (it == runs_.end()) return std::nullopt;
  if (from_disk_.erase(key)) ++reused_;
  return it->second;
}

void RunLog::add(const std::string& key, const Json& key_json, const RunSummary& r) {
  std::lock_guard lock(mu_);
  runs_[key] = r;
  ++trained_;
  if (!out_) return;
  const std::string line = json_dump({{"key", key_json}, {"run", r.to_json()}}, false) + "\n";
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

Result<RunSummary> RunLog::run(const TrainPlan& plan, const nn::EpochCallback& on_epoch) {
  const Json key_json = plan.to_json();
  const std::string key = json_dump(key_json, false);
  if (auto hit = find(key)) return *hit;
  auto r = train_summary(plan, on_epoch);
  if (!r) return r.status();
  add(key, key_json, *r);
  return r;
}

TrainRunner RunLog::runner() {
  return [this](const TrainPlan& p, const nn::EpochCallback& cb) { return run(p, cb); };
}

}  // namespace actlab::lab
