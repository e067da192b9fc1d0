// Which user catalog file the CLI reads, and loading it before any command runs (docs/catalog.md, "User
// catalog").
//
//   actlab --catalog my.json act show evo_1      the flag, before the command
//   ACTLAB_CATALOG=my.json actlab act list       else the environment variable
//   ~/.config/actlab/catalog.json                else the default file, when it exists
//                                                ($XDG_CONFIG_HOME/actlab/catalog.json when that is set)
//
//   add_catalog_option(app);   // in main(), before app.parse()
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "core/status.hpp"

namespace actlab::cli {

struct CatalogChoice {
  std::string path;
  std::string origin;  // "--catalog", "ACTLAB_CATALOG" or "default": named in error messages
};

// $XDG_CONFIG_HOME/actlab/catalog.json when XDG_CONFIG_HOME is an absolute path, else
// $HOME/.config/actlab/catalog.json; empty when neither variable is set.
std::string default_catalog_path();

// The file to read: `flag` (the --catalog value) when not empty, else $ACTLAB_CATALOG when set and not empty,
// else the default file when it exists; nullopt for none.
std::optional<CatalogChoice> choose_catalog(const std::string& flag);

// Loads choose_catalog(flag), if any. A named file that is missing, and any file that does not read as a
// catalog, are bad input; the message names where the file name came from.
Status load_chosen_catalog(const std::string& flag);

// Adds the global option --catalog FILE and loads the catalog once the command line is parsed, before any
// subcommand callback runs. A bad catalog prints "actlab: error: ..." and throws CLI::RuntimeError with exit
// code 2, which main() returns.
void add_catalog_option(CLI::App& app);

}  // namespace actlab::cli
