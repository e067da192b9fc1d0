// Random streams: xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
// ACM TOMS 47(4), 2021, arXiv:1805.01407) seeded through SplitMix64 (Steele, Lea & Flood, OOPSLA 2014).
//
//   Rng rng(42);                                   // one explicit seed; there is no global RNG
//   double u = rng.uniform();                      // [0, 1), 53 random bits
//   double z = rng.normal();                       // standard normal
//   std::uint64_t k = rng.below(10);               // 0..9, unbiased
//   Rng t = Rng::derive(42, "trial", 7);           // trial 7's stream, whichever worker runs it
//   std::shuffle(v.begin(), v.end(), rng);         // a UniformRandomBitGenerator
//
// Reproducibility: every output here is bit-identical on every platform. next(), below(), split() and
// derive() are pure 64-bit integer arithmetic. uniform() converts 53 bits exactly. uniform(lo, hi) and
// normal() use only IEEE-754 double +, -, *, / and sqrt (all correctly rounded) plus portable_log() below,
// which is itself built from those operations, so no libm routine with platform-dependent last-ulp
// behaviour is involved. rng.cpp turns off floating-point contraction (a*b+c fused into an FMA, which
// g++ does by default under -march=native) so the same roundings happen with and without FMA hardware.
// Assumes double is IEEE binary64 evaluated without excess precision (true on x86-64/SSE2 and AArch64).
// Never use std:: distributions for anything that must reproduce: their algorithms differ between
// standard libraries.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string_view>

namespace actlab {

// SplitMix64: a 64-bit counter stepped by the golden gamma and passed through a bijective finalizer.
// Used to expand a seed into xoshiro's 256-bit state and to hash (seed, purpose, index) into seeds.
// Seeded with 0 its first outputs are 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f.
struct SplitMix64 {
  std::uint64_t state = 0;

  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // The finalizer alone applied to x + gamma: SplitMix64{x}.next().
  static std::uint64_t mix(std::uint64_t x) { return SplitMix64{x}.next(); }
};

// FNV-1a, 64 bit: h = 0xcbf29ce484222325; for each byte b: h = (h ^ b) * 0x100000001b3.
constexpr std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

// Natural logarithm from IEEE +, -, *, / only (fdlibm's e_log.c algorithm), so it gives the same bits on
// every platform; error below 1 ulp. Used by Rng::normal(). log(0) = -inf, log(x < 0) = NaN.
double portable_log(double x);

// xoshiro256**: 256 bits of state, period 2^256 - 1, passes BigCrush. Not cryptographic.
// Copying an Rng copies its position: both copies then produce the same outputs.
class Rng {
 public:
  using result_type = std::uint64_t;

  // State = four successive SplitMix64(seed) outputs (the authors' recommended seeding; never all zero).
  explicit Rng(std::uint64_t seed);

  // An independent stream named by (seed, purpose, index):
  //   key = mix(mix(mix(seed) ^ fnv1a64(purpose)) ^ index), stream = Rng(key),  mix = SplitMix64::mix.
  // Same arguments, same stream, so trial k of a study draws the same numbers on any worker.
  static Rng derive(std::uint64_t seed, std::string_view purpose, std::uint64_t index = 0);

  // A child stream keyed by this stream's current state and `index`. Does not advance this stream, so
  // split(i) called twice at the same point gives the same child, and different i give different children.
  Rng split(std::uint64_t index) const;

  // The next 64 random bits (the reference xoshiro256** step).
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform on [0, 1): the top 53 bits times 2^-53 (exact; every multiple of 2^-53 equally likely).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform on [lo, hi): lo + (hi - lo) * uniform(), pulled below hi if rounding reaches it. Needs lo < hi.
  double uniform(double lo, double hi);
  // Standard normal N(0, 1) by Marsaglia's polar method; every second call returns the cached spare.
  double normal();
  // Uniform integer in [0, n), unbiased (Lemire, "Fast random integer generation in an interval",
  // ACM TOMACS 2019, arXiv:1805.10941). Precondition n > 0; below(0) returns 0.
  std::uint64_t below(std::uint64_t n);

  // UniformRandomBitGenerator, for std::shuffle and friends.
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() { return next(); }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::array<std::uint64_t, 4> s_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace actlab
