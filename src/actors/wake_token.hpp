// What a service's timer or call reply is for, packed in one 64-bit token (wake_msg::token,
// and the corr of a call's job_msg): a kind (2 bits), a sequence number (30 bits) and an id
// (32 bits, a frame's slot or the index of an outage).
// Invariant: a frame waits for at most one token at a time, the one carrying its current
// sequence number; a token whose number no longer matches its frame (a late reply after a
// timeout, a timer from before a restart) is ignored. Numbers are compared masked to 30 bits,
// as tokens carry them: next_seq() never hands out a number a token cannot hold.
#pragma once

#include <cstdint>

#include "actors/messages.hpp"

namespace svcsim {

enum class wake_kind : std::uint64_t { send = 0, timeout = 1, fast_fail = 2, service = 3 };

constexpr std::uint32_t seq_mask = 0x3fffffffU;

inline std::uint64_t token(wake_kind k, std::uint32_t seq, std::uint32_t id) {
  return (static_cast<std::uint64_t>(k) << 62) |
         (static_cast<std::uint64_t>(seq & seq_mask) << 32) | id;
}
inline wake_kind kind_of(std::uint64_t t) { return static_cast<wake_kind>(t >> 62); }
inline std::uint32_t seq_of(std::uint64_t t) {
  return static_cast<std::uint32_t>(t >> 32) & seq_mask;
}
inline std::uint32_t id_of(std::uint64_t t) { return static_cast<std::uint32_t>(t); }
// The next sequence number after `seq`: 30 bits, never 0 (0 means "waits for nothing").
inline std::uint32_t next_seq(std::uint32_t& seq) {
  seq = (seq + 1) & seq_mask;
  if (seq == 0) seq = 1;
  return seq;
}

// Service wakes (kind service): free workers, an outage's start or end (`i`: which), or put
// held replies on the clock.
enum class service_event : std::uint32_t {
  release = 0,
  outage_begin = 1,
  outage_end = 2,
  held_replies = 3,
};
inline wake_msg service_wake(service_event e, std::uint32_t i = 0) {
  return wake_msg{token(wake_kind::service, static_cast<std::uint32_t>(e), i)};
}
inline bool is_service_event(std::uint64_t t, service_event e) {
  return kind_of(t) == wake_kind::service && seq_of(t) == static_cast<std::uint32_t>(e);
}

}  // namespace svcsim
