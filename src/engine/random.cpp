#include "engine/random.hpp"

#include <algorithm>
#include <cmath>

namespace svcsim {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

}  // namespace

int partition_of_key(std::uint64_t key, int partitions) {
  return static_cast<int>(splitmix64(key) % static_cast<std::uint64_t>(partitions));
}

std::int64_t rng::below(std::int64_t n) {
  return std::min(n - 1, static_cast<std::int64_t>(uniform01() * static_cast<double>(n)));
}

rng::rng(std::uint64_t seed) {
  for (auto& word : s_) word = splitmix64(seed);
}

rng rng::for_party(std::uint64_t seed, std::string_view name) {
  std::uint64_t mixed = seed;
  return rng(splitmix64(mixed) ^ fnv1a(name));
}

std::uint64_t rng::next() {
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

double rng::uniform01() {
  // 53 random bits, shifted by half a step so that 0 and 1 are never returned.
  return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53;
}

double rng::exponential(double mean) { return -mean * std::log(uniform01()); }

double rng::normal(double mean, double sd) {
  if (has_spare_) {
    has_spare_ = false;
    return mean + sd * spare_;
  }
  const double r = std::sqrt(-2.0 * std::log(uniform01()));
  const double angle = 2.0 * M_PI * uniform01();
  spare_ = r * std::sin(angle);
  has_spare_ = true;
  return mean + sd * r * std::cos(angle);
}

}  // namespace svcsim
