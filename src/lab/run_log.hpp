// A journal of finished training runs, so a long study survives a crash or Ctrl-C: every run's summary is
// appended to a JSON-lines file as it finishes, keyed by its whole TrainPlan, and the next call with the
// same plan reads it back instead of training again (docs/lab.md, "Resuming").
//
//   lab::RunLog log;
//   if (Status s = log.open("out/runs.jsonl"); !s) return s;   // reads what an earlier call finished
//   auto r = log.run(plan);                                    // trains, or returns the journalled summary
//   log.trained();  log.reused();
//
// Lines that do not parse (a run killed mid-write) are skipped. Thread-safe: parallel runs may share one log.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "core/json.hpp"
#include "core/status.hpp"
#include "lab/train.hpp"

namespace actlab::lab {

class RunLog {
 public:
  RunLog() = default;
  RunLog(const RunLog&) = delete;
  RunLog& operator=(const RunLog&) = delete;
  ~RunLog();

  // Reads the journal at `path` (a missing file is an empty journal) and opens it for appending. Without
  // open(), the log only remembers runs in memory. Errors name the field "out".
  Status open(const std::string& path);

  // The journalled summary of the run with this key (json_dump of its plan), if any.
  std::optional<RunSummary> find(const std::string& key);
  // Records a finished run and appends it to the file.
  void add(const std::string& key, const Json& key_json, const RunSummary& r);

  // The summary of `plan`'s run: from the journal, or trained with lab::train_summary and journalled.
  Result<RunSummary> run(const TrainPlan& plan, const nn::EpochCallback& on_epoch = {});
  // A TrainRunner (lab::compare's) that goes through this log.
  TrainRunner runner();

  std::int64_t trained() const { return trained_; }  // runs this process trained
  std::int64_t reused() const { return reused_; }    // runs read back from the file

 private:
  std::FILE* out_ = nullptr;
  std::mutex mu_;
  std::map<std::string, RunSummary> runs_;
  std::set<std::string> from_disk_;  // read from the file and not yet asked for
  std::int64_t trained_ = 0, reused_ = 0;
};

}  // namespace actlab::lab
