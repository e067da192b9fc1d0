// actlab: the command-line laboratory. One file per command group; this file wires them and owns exit codes.
#include <cstdio>
#include <exception>
#include <new>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/user_catalog.hpp"

int main(int argc, char** argv) {
  using namespace actlab::cli;
  CLI::App app{
      "actlab: activation functions for deep networks — catalog, formulas, theory, training, search"};
  app.set_version_flag("--version", std::string("actlab ") + ACTLAB_VERSION);
  app.require_subcommand(1);
  int exit_code = kExitOk;
  add_catalog_option(app);  // loaded before any command runs, so every command takes user entries by name
  add_act_command(app, exit_code);
  add_theory_command(app, exit_code);
  add_init_command(app, exit_code);
  add_data_command(app, exit_code);
  add_train_command(app, exit_code);
  add_compare_command(app, exit_code);
  add_lab_command(app, exit_code);
  add_reproduce_command(app, exit_code);
  add_study_command(app, exit_code);
  add_optbench_command(app, exit_code);
  add_converge_command(app, exit_code);
  add_alacarte_command(app, exit_code);
  add_shallow_command(app, exit_code);
  add_evolve_command(app, exit_code);
  check_seeds(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {  // a bad user catalog: the message is printed already
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "actlab: error: %s (see --help)\n", parse_error_text(app, e).c_str());
    return kExitBadInput;
  } catch (const nlohmann::json::exception& e) {
    // A JSON input file with a value of the wrong type or shape that a loader did not check: bad input,
    // never an abort (docs/limits.md).
    std::fprintf(stderr, "actlab: error: unexpected JSON in an input file: %s\n", e.what());
    return kExitBadInput;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "actlab: error: out of memory\n");
    return kExitFailure;
  } catch (
      const std::exception& e) {  // anything else that escaped a command: a clear message, never an abort
    std::fprintf(stderr, "actlab: error: %s\n", e.what());
    return kExitFailure;
  } catch (...) {
    std::fprintf(stderr, "actlab: error: unexpected failure\n");
    return kExitFailure;
  }
  return exit_code;
}
