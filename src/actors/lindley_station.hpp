// The predictable station: a FIFO station with `workers` servers whose every job's start and
// end follow, on arrival, from the Lindley recursion over the workers' free times. The reply
// and every publish are scheduled at once; the station sets no timer for its jobs. Failures
// are known in advance, so an outage decides a job's fate on arrival too: a job not answered
// before the outage starts fails then (crash) or at its end (hang), and frees its worker then.
// For services none of whose handlers calls anything (service_plan::predictable).
//
// Two ways to save messages, same results:
// - held replies (held_replies.cpp): while more than 1,024 jobs wait, replies are kept in a
//   queue of the station's own and put on the clock 64 at a time from a wake;
// - direct replies (direct_replies.cpp): a station fed by one open-loop client
//   (service_plan::fed_by) takes that client's arrivals in batches (arrivals_msg) and records
//   its replies to it itself, in time order, instead of sending them.
// Invariants: free_at_ holds the free times of the busy workers (at most `workers`);
// waiting_starts_ the start times of the jobs still waiting, in order; held_replies_ is in
// order of time, ties in order made.
#pragma once

#include <limits>

#include "actors/station.hpp"
#include "engine/ring.hpp"

namespace svcsim {

class lindley_station : public station {
 public:
  lindley_station(const run_context* ctx, int id, caf::event_based_actor* self);

  void on(const job_msg& m) { take(m, now()); }
  // Jobs taken each at its own arrival time, then the replies to the feeding client due by
  // the last of them recorded.
  void on(const arrivals_msg& m);
  void on(const reply_msg&) {}  // it calls nothing
  void on(const wake_msg& m);

 private:
  // A reply to the client feeding the station, due to reach it at `at`.
  struct direct_reply {
    nanos at;
    std::uint64_t order;  // ties in the order they were made
    std::uint64_t trace;
    bool ok;
    bool operator>(const direct_reply& o) const { return at != o.at ? at > o.at : order > o.order; }
  };
  // A reply held back until shortly before it is due.
  struct held_reply {
    nanos at;             // when it reaches the caller
    std::uint64_t order;  // ties in the order they were made
    std::int32_t caller;
    std::uint64_t corr;
    nanos end;
    bool ok, down;
  };

  // Job `m` arrives at `now`: refused while crashed or when the room is full, else planned.
  void take(const job_msg& m, nanos now);
  // Replies to `caller` now: recorded later if it is the feeding client, else sent.
  void reply_to(std::int32_t caller, std::uint64_t corr, nanos end, bool ok, bool down = false);
  // held_replies.cpp: replies, holding the reply back while the queue is long; and, on the
  // station's wake, puts the next held replies on the clock.
  void answer(std::int32_t caller, std::uint64_t corr, nanos end, bool ok, bool down);
  void release_held_replies(nanos now);
  void wake_at(nanos t);
  // direct_replies.cpp: records the replies to the feeding client due by `until`.
  void record_direct_replies(nanos until);

  // When each busy worker frees up, and when each waiting job starts.
  min_heap<nanos> free_at_;
  ring<nanos> waiting_starts_;
  // The feeding client's party (service_plan::fed_by), else -1; its replies to record.
  const std::int32_t direct_client_;
  min_heap<direct_reply> direct_replies_;
  std::uint64_t direct_count_ = 0;
  // Replies not yet on the clock, and when the wake that puts the next ones there is due.
  ring<held_reply> held_replies_;
  std::uint64_t held_count_ = 0;
  nanos held_wake_ = std::numeric_limits<nanos>::max();
};

}  // namespace svcsim
