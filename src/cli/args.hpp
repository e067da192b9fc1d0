// Parsing of flag values shared by the subcommands. Errors name the flag and say what was expected.
//
//   auto p = parse_params({"p=3", "beta=1.5"});   // map {"beta": 1.5, "p": 3}
//   auto xs = parse_number_list("--at", "-1,0,2.5");
//   auto r = parse_interval("--range", "-5:5");  // {-5, 5}
//   auto g = parse_grid("--sigma-b", "0:1:5");     // {0, 0.25, 0.5, 0.75, 1}
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"

namespace actlab::cli {

Result<double> parse_number(const std::string& flag, const std::string& text);
Result<std::map<std::string, double>> parse_params(const std::vector<std::string>& items);
Result<std::vector<double>> parse_number_list(const std::string& flag, const std::string& text);
Result<std::pair<double, double>> parse_interval(const std::string& flag, const std::string& text);
// A list "0.1,0.5,2" or an evenly spaced grid "a:b:n" (n points from a to b inclusive).
Result<std::vector<double>> parse_grid(const std::string& flag, const std::string& text);

// This process's command line, argument by argument (/proc/self/cmdline; empty where there is none): what
// an interrupted command prints as the command that resumes it.
std::vector<std::string> own_arguments();
// Arguments as one line a POSIX shell reads back as the same arguments: plain words as they are, others in
// single quotes ({"a b", "it's"} → "'a b' 'it'\''s'").
std::string shell_join(const std::vector<std::string>& args);
// own_arguments() as one shell line with the program as `actlab` and any password in a URL masked: the
// command that repeats or resumes this run (printed on Ctrl-C, recorded in reports).
std::string own_command_line();

// A result's JSON object as a command prints it: how it was made is added at the end, "actlab_version" (this
// build's version) and "command" (own_command_line(), the line that repeats the run). A value that is not an
// object (a bare list) comes back as it is.
Json recorded(Json j);
// recorded(j), printed pretty on stdout with a newline.
void print_recorded(const Json& j);

}  // namespace actlab::cli
