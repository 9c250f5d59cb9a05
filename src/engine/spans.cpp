#include "engine/spans.hpp"

#include <algorithm>
#include <utility>

namespace svcsim {

span_recorder::span_recorder(span_sampling sampling, sink out)
    : sampling_(std::move(sampling)), out_(std::move(out)) {}

bool span_recorder::sampled(std::uint64_t request, bool measured) {
  if (measured && sampling_.every > 0 && ++measured_ % sampling_.every == 0) return true;
  return std::binary_search(sampling_.requests.begin(), sampling_.requests.end(), request);
}

std::uint64_t span_recorder::open(std::uint64_t trace, std::uint64_t request, int workload,
                                  nanos sent) {
  ++requests_;
  auto& r = open_[trace];
  r = request_spans{};
  r.request = request;
  span root;
  root.kind = span_kind::client;
  root.workload = workload;
  root.start = sent;
  return r.root = start(trace, root);
}

void span_recorder::reply(std::uint64_t trace, nanos at, bool ok) {
  auto it = open_.find(trace);
  if (it != open_.end())
    end(trace, it->second.root, at, ok ? span_status::ok : span_status::failed);
}

std::uint64_t span_recorder::start(std::uint64_t trace, span s) {
  auto it = open_.find(trace);
  if (it == open_.end()) {
    ++late_;
    return 0;
  }
  s.request = it->second.request;
  if (s.parent == 0) s.parent = it->second.root;
  s.id = next_id_++;
  s.end = s.start - 1;  // open
  it->second.spans.push_back(s);
  ++it->second.open;
  return s.id;
}

std::uint64_t span_recorder::link_of(std::uint64_t trace, std::uint64_t id) const {
  auto it = open_.find(trace);
  if (it == open_.end()) return 0;
  const auto& v = it->second.spans;
  auto sp = std::lower_bound(v.begin(), v.end(), id,
                             [](const span& s, std::uint64_t i) { return s.id < i; });
  return sp != v.end() && sp->id == id ? sp->link : 0;
}

void span_recorder::end(std::uint64_t trace, std::uint64_t id, nanos end, span_status status,
                        nanos work_from) {
  auto it = open_.find(trace);
  if (id == 0 || it == open_.end()) return;
  auto& r = it->second;
  auto sp = std::lower_bound(r.spans.begin(), r.spans.end(), id,
                             [](const span& s, std::uint64_t i) { return s.id < i; });
  if (sp == r.spans.end() || sp->id != id || sp->end >= sp->start) return;
  sp->end = std::max(end, sp->start);
  sp->status = status;
  if (work_from >= 0) sp->queued = std::clamp(work_from, sp->start, sp->end) - sp->start;
  release(it);
}

void span_recorder::release(std::unordered_map<std::uint64_t, request_spans>::iterator it) {
  if (--it->second.open > 0 || !it->second.closed) return;
  hand_over(it->second);
  open_.erase(it);
}

void span_recorder::send(const context_key& k, std::uint64_t span_id) {
  if (span_id == 0) return;
  contexts_[k].push_back(span_id);
  // A message in flight may still start spans of its request: hold the request until claimed.
  if (auto it = open_.find(k.trace); it != open_.end()) ++it->second.open;
}

std::uint64_t span_recorder::claim(const context_key& k) {
  auto it = contexts_.find(k);
  if (it == contexts_.end()) return 0;
  const std::uint64_t id = it->second.front();
  it->second.erase(it->second.begin());
  if (it->second.empty()) contexts_.erase(it);
  // Not handed over here: its receiver starts a span at once (which holds the request), and
  // a publisher whose message the broker claims still has its span open.
  if (auto r = open_.find(k.trace); r != open_.end()) --r->second.open;
  return id;
}

void span_recorder::hand_over(request_spans& r) {
  if (!r.spans.empty()) out_(r.spans);
  r.spans.clear();
}

void span_recorder::close(std::uint64_t trace) {
  auto it = open_.find(trace);
  if (it == open_.end()) return;
  it->second.closed = true;
  if (it->second.open > 0) return;  // the last span to end hands it over
  hand_over(it->second);
  open_.erase(it);
}

void span_recorder::finish(nanos stop) {
  std::vector<std::uint64_t> traces;
  for (const auto& [trace, r] : open_) traces.push_back(trace);
  std::sort(traces.begin(), traces.end(),
            [&](std::uint64_t a, std::uint64_t b) { return open_[a].request < open_[b].request; });
  for (auto trace : traces) {
    auto& r = open_[trace];
    for (auto& s : r.spans)
      if (s.end < s.start) {
        s.end = std::max(stop, s.start);
        s.status = span_status::lost;
      }
    r.open = 0;
    hand_over(r);
  }
  open_.clear();
  contexts_.clear();
}

}  // namespace svcsim
