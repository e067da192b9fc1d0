#include "cli/user_catalog.hpp"

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "activations/user_catalog.hpp"
#include "cli/command.hpp"

namespace actlab::cli {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

std::string default_catalog_path() {
  namespace fs = std::filesystem;
  // XDG Base Directory spec: a relative XDG_CONFIG_HOME is invalid and ignored.
  const std::string xdg = env("XDG_CONFIG_HOME");
  if (!xdg.empty() && fs::path(xdg).is_absolute())
    return (fs::path(xdg) / "actlab" / "catalog.json").string();
  const std::string home = env("HOME");
  if (!home.empty()) return (fs::path(home) / ".config" / "actlab" / "catalog.json").string();
  return "";
}

std::optional<CatalogChoice> choose_catalog(const std::string& flag) {
  if (!flag.empty()) return CatalogChoice{flag, "--catalog"};
  if (std::string e = env("ACTLAB_CATALOG"); !e.empty()) return CatalogChoice{e, "ACTLAB_CATALOG"};
  const std::string d = default_catalog_path();
  std::error_code ec;
  if (!d.empty() && std::filesystem::exists(d, ec)) return CatalogChoice{d, "default"};
  return std::nullopt;
}

Status load_chosen_catalog(const std::string& flag) {
  const auto choice = choose_catalog(flag);
  if (!choice) return {};
  const std::string where = choice->origin == "default" ? "default user catalog" : choice->origin;
  return activations::load_user_catalog(choice->path).with_context(where);
}

void add_catalog_option(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  app.add_option("--catalog", *path,
                 "User catalog file of extra activations (JSON; docs/catalog.md). Default: $ACTLAB_CATALOG, "
                 "else " +
                     (default_catalog_path().empty() ? std::string("none") : default_catalog_path()) +
                     " when it exists")
      ->type_name("FILE");
  // Runs after parsing, before the subcommand callbacks, which may then use the user entries by name.
  app.parse_complete_callback([path] {
    if (Status s = load_chosen_catalog(*path); !s) throw CLI::RuntimeError(finish(s));
  });
}

}  // namespace actlab::cli
