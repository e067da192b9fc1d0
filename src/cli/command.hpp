// What every subcommand shares: how a Status leaves the program.
//
//   return finish(status);   // 0 ok; 2 bad input (one line on stderr); 1 runtime failure
#pragma once

#include <CLI/CLI.hpp>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "core/status.hpp"

namespace actlab::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;

// The message of a failed status in the CLI's words: a field named by the library (Status::field(),
// "workers: must be >= 1") becomes its flag ("--workers: must be >= 1").
// `flags` renames the fields whose flag is not their own name ({"source", "--data"}).
using FlagNames = std::initializer_list<std::pair<const char*, const char*>>;
std::string flag_message(const Status& s, FlagNames flags = {});

// Print "actlab: error: <message>" (flag_message) for a failed status and return the exit code.
int finish(const Status& s, FlagNames flags = {});

// A generous bound on a number an input sets (docs/limits.md): values outside [lo, hi] (-5, which CLI11 would
// wrap into a huge unsigned number, 2^64-1, 1e12) are refused before conversion, with exit 2 and a message
// "--rows: must be a number from 1 to 10000000 (docs/limits.md), got -5".
CLI::Option* bounded(CLI::Option* option, double lo, double hi);

// The name in `names` nearest to `got` by optimal string alignment distance (a swap of neighbours counts
// once), when it is at most 2 and less than got's length: "adam" for "adma"; "" when none is near.
std::string nearest_name(const std::string& got, const std::vector<std::string>& names);

// An enumerated flag: its value (with `params`, the part before the first ':') must be one of `names`, else
// exit 2 with the list and the nearest name (docs/cli.md):
//   "--opt: 'adma' is not one of sgd, adam, adamw, rmsprop (did you mean 'adam'?)"
CLI::Option* one_of(CLI::Option* option, std::vector<std::string> names, bool params = false);

// The initialisation schemes of --init (nn::parse_init), for one_of(..., params = true).
extern const std::vector<std::string> kInitSchemes;

// main()'s text for a CLI11 parse error: its message, with "did you mean" for a misspelt flag or subcommand
// of the command that was being parsed ("--epoch" → "--epochs").
std::string parse_error_text(CLI::App& app, const CLI::ParseError& e);

// Every `--seed` under `app` (subcommands included) takes only a whole number from 0 to 2^64-1: "-1", which
// CLI11 would wrap into 2^64-1, and "1e3" are refused with exit 2 naming the flag.
void check_seeds(CLI::App& app);

// Registers `actlab act ...`; its callbacks run the chosen subcommand after parsing and set exit_code.
void add_act_command(CLI::App& app, int& exit_code);
// Registers `actlab theory ...` (cli/theory.cpp).
void add_theory_command(CLI::App& app, int& exit_code);
void add_init_command(CLI::App& app, int& exit_code);
// Registers `actlab train | eval | predict | model random` (cli/train.cpp).
void add_train_command(CLI::App& app, int& exit_code);
// Registers `actlab compare` (cli/compare.cpp).
void add_compare_command(CLI::App& app, int& exit_code);
// Registers `actlab lab` (cli/lab.cpp).
void add_lab_command(CLI::App& app, int& exit_code);
void add_reproduce_command(CLI::App& app, int& exit_code);
// Registers `actlab data list | show` (cli/data.cpp).
void add_data_command(CLI::App& app, int& exit_code);
// Registers `actlab study ...` (cli/study.cpp).
void add_study_command(CLI::App& app, int& exit_code);
// Registers `actlab optbench` (cli/optbench.cpp): Dik's optimiser harness.
void add_optbench_command(CLI::App& app, int& exit_code);
// Registers `actlab converge` (cli/converge.cpp): the 1-1-1 Adam vs ADAMm study.
void add_converge_command(CLI::App& app, int& exit_code);
// Registers `actlab alacarte` (cli/alacarte.cpp).
void add_alacarte_command(CLI::App& app, int& exit_code);
// Registers `actlab shallow convert | verify | eval | regions` and `actlab explain` (cli/shallow.cpp).
void add_shallow_command(CLI::App& app, int& exit_code);
// Registers `actlab evolve`, `evolve work`, `evolve show` (cli/evolve.cpp).
void add_evolve_command(CLI::App& app, int& exit_code);

}  // namespace actlab::cli
