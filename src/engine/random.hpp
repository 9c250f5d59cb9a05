// Seeded random streams. Each actor owns one stream derived from the scenario seed and the
// actor's name, so the same seed replays the same run and adding a service leaves the other
// services' draws unchanged. The generator is xoshiro256** (portable: results do not depend
// on the standard library's distributions).
#pragma once

#include <cstdint>
#include <string_view>

namespace svcsim {

// The partition (of `partitions`) of a message with key `key`: a fixed hash, so equal keys
// always share a partition, on any machine.
int partition_of_key(std::uint64_t key, int partitions);

class rng {
 public:
  explicit rng(std::uint64_t seed = 1);
  // A stream for the party `name` under scenario seed `seed`.
  static rng for_party(std::uint64_t seed, std::string_view name);

  std::uint64_t next();
  double uniform01();                  // in (0, 1): never 0, never 1
  std::int64_t below(std::int64_t n);  // uniform in [0, n), n > 0
  double exponential(double mean);
  double normal(double mean, double sd);

 private:
  std::uint64_t s_[4];
  bool has_spare_ = false;
  double spare_ = 0;
};

}  // namespace svcsim
