// Reading how callers treat sync calls: the keys timeout, retries, backoff, jitter and breaker,
// under `sync:` (the defaults) and on call and notify steps (overriding them).
#include "scenarios/load/loader_parts.hpp"
#include "scenarios/load/suggest.hpp"

namespace svcsim::detail {
namespace {

const char* const breaker_example = "breaker: {failures: 5, window: 10s, open: 30s}";

// `none`, or a mapping {failures: N, window: D, open: D}.
breaker_policy read_breaker(const entry& e) {
  breaker_policy b;
  if (e.empty()) text(e, breaker_example);  // fails: no value
  if (!e.value.IsMap()) {
    if (e.value.IsScalar() && e.value.Scalar() == "none") return b;
    const std::string what = e.value.IsScalar() ? quoted(e.value.Scalar()) : kind_name(e.value);
    fail(e.value_pos(), "'breaker' must be a mapping or none, not " + what + "; write e.g. '" +
                            breaker_example + "', or 'breaker: none'");
  }
  const fields f(e, "in breaker", {"failures", "window", "open"});
  const entry* n = f.find("failures");
  if (!n)
    fail(f.pos(),
         "the breaker has no failures (how many failed attempts open it); add e.g. "
         "'failures: 5'");
  b.failures = static_cast<int>(integer(*n, 1, 1000000, "failures: 5"));
  if (const entry* w = f.find("window")) b.window = positive_duration(*w, "window: 10s");
  if (const entry* o = f.find("open")) b.open = positive_duration(*o, "open: 30s");
  return b;
}

}  // namespace

void read_call_policy(const fields& f, call_policy& p) {
  if (const entry* e = f.find("timeout")) {
    if (text(*e, "timeout: 500ms") == "none")
      p.timeout.reset();
    else
      p.timeout = positive_duration(*e, "timeout: 500ms",
                                    ", or 'timeout: none' to wait as long as it takes");
  }
  if (const entry* e = f.find("retries"))
    p.retries = static_cast<int>(integer(*e, 0, 1000, "retries: 2"));
  if (const entry* e = f.find("backoff")) p.backoff = duration(*e);
  if (const entry* e = f.find("jitter")) p.jitter = boolean(*e);
  if (const entry* e = f.find("breaker")) p.breaker = read_breaker(*e);
}

}  // namespace svcsim::detail
