// libFuzzer: the formula parser, and what runs on every formula it accepts: print (which parses back) and,
// for short formulas, the symbolic derivative.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "activations/derivative.hpp"
#include "activations/parser.hpp"
#include "activations/printer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace a = actlab::activations;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto e = a::parse_formula(text);
  if (!e) return 0;
  const std::string printed = a::print(*e);
  if (!a::parse_formula(printed)) __builtin_trap();  // what is printed parses back
  if (size <= 256) static_cast<void>(a::print(a::derivative(*e)));
  return 0;
}
