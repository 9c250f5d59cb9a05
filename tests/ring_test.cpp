// The ring queue keeps FIFO order across wrap-around and growth, and inserts in place.
#include "engine/ring.hpp"

#include <catch2/catch.hpp>
#include <deque>

using svcsim::ring;

TEST_CASE("ring: the same order as a deque through wrap-around, growth and inserts") {
  ring<int> r;
  std::deque<int> d;
  int next = 0;
  for (int round = 0; round < 2000; ++round) {
    const int pushes = round % 7, pops = round % 5;  // grows, with the head going round
    for (int i = 0; i < pushes; ++i) {
      r.push_back(next);
      d.push_back(next++);
    }
    if (round % 11 == 0 && !d.empty()) {  // insert near the back, as held replies do
      const std::size_t at = d.size() - 1;
      r.insert(at, -round);
      d.insert(d.begin() + static_cast<long>(at), -round);
    }
    for (int i = 0; i < pops && !d.empty(); ++i) {
      REQUIRE(r.front() == d.front());
      r.pop_front();
      d.pop_front();
    }
    REQUIRE(r.size() == d.size());
    for (std::size_t i = 0; i < d.size(); ++i) REQUIRE(r[i] == d[i]);
  }
  CHECK(d.size() > 100);  // it did grow
}
