#include "distributed/result_codec.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace svcsim {
namespace {

constexpr std::string_view magic = "SVR1";
// Most fields open at once while decoding (run_result's own count as 1). The engine's results
// need about 10; the rest allows a few levels of service_result::instances.
constexpr std::size_t max_depth = 20;

template <class X, class T>
using if_is = std::enable_if_t<std::is_same_v<std::remove_const_t<X>, T>>;

// x as its base B, const when x is.
template <class B, class X>
std::conditional_t<std::is_const_v<X>, const B, B>& base(X& x) {
  return x;
}

// The fields of struct T, in order: fields(f, x) calls f("x.a, x.b", x.a, x.b) (the names for
// messages), x a T or a const T.
#define SVR_FIELDS(T, ...)         \
  template <class F, class X>      \
  if_is<X, T> fields(F& f, X& x) { \
    f(#__VA_ARGS__, __VA_ARGS__);  \
  }

SVR_FIELDS(percentiles, x.mean, x.p50, x.p90, x.p99, x.p999, x.max, x.count)
SVR_FIELDS(workload_result, x.name, x.requests, x.ok, x.failed, x.unfinished, x.incomplete,
           x.availability, x.throughput_rps, x.latency_ms, x.completion_ms, x.latency_cdf)
SVR_FIELDS(service_counters, x.served, x.rejected, x.errors, x.dropped, x.timeouts, x.retries,
           x.short_circuited, x.outboxed, x.outbox_max)
SVR_FIELDS(coupling, x.ce, x.ca, x.knows)
SVR_FIELDS(service_result, base<service_counters>(x), base<coupling>(x), x.name, x.utilization,
           x.queue_mean, x.queue_max, x.throughput_ps, x.instance_count, x.utilization_min,
           x.utilization_max, x.busiest, x.instances)
SVR_FIELDS(delivery_counters, x.delivered, x.lost, x.redelivered, x.dead_lettered)
SVR_FIELDS(subscription_result, base<delivery_counters>(x), x.name, x.published, x.backlog_max,
           x.lag_ms, x.partitions, x.worst_partition, x.worst_partition_lag_ms_mean,
           x.worst_partition_lag_ms_max)
SVR_FIELDS(topic_counters, base<delivery_counters>(x), x.published, x.refused, x.dropped,
           x.outboxed)
SVR_FIELDS(topic_result, base<topic_counters>(x), x.name, x.backlog_max, x.lag_ms, x.subscriptions)
SVR_FIELDS(workload_timeline, x.sent, x.ok, x.failed, x.p50_ms, x.p99_ms, x.rate_per_s)
SVR_FIELDS(delivery_timeline, x.backlog_max, x.delivered, x.lost, x.held_at_end)
SVR_FIELDS(topic_timeline, base<delivery_timeline>(x), x.subscriptions)
SVR_FIELDS(span_summary, x.ok, x.failed, x.p99_ms)
SVR_FIELDS(source_pos, x.line, x.column, x.set)
SVR_FIELDS(failure, x.pos, x.service, x.instance, x.kind, x.factor, x.probability, x.at, x.length)
SVR_FIELDS(failure_window::workload_spans, x.before, x.during, x.after)
SVR_FIELDS(failure_window::backlog_spans, x.before_max, x.backlog_max, x.caught_up_s)
SVR_FIELDS(failure_window::topic_spans, base<failure_window::backlog_spans>(x), x.subscriptions)
SVR_FIELDS(failure_window, x.failure, x.before_s, x.at_s, x.end_s, x.after_s, x.workloads, x.topics)
SVR_FIELDS(timeline, x.bucket_s, x.t_s, x.workloads, x.topics, x.windows)
SVR_FIELDS(watched_result, x.requests, x.ok, x.failed, x.done, x.last_done_ns, x.p99_ms)
SVR_FIELDS(broker_coupling, base<coupling>(x), x.known_by)
SVR_FIELDS(graph_edge, x.from, x.to, x.labels)
SVR_FIELDS(dependency_graph, x.mode, x.broker, x.edges)
SVR_FIELDS(run_result, x.mode, x.design, x.sim_time_s, x.wall_time_s, x.events, x.late_spans,
           x.measured_s, x.workloads, x.services, x.topics, x.brokers, x.broker_coupling, x.graph,
           x.warnings, x.falling_behind, x.timeline, x.watched, x.error)

#undef SVR_FIELDS

// A struct that grows without its fields() growing fails here (libstdc++ on 64 bits; the
// sizes elsewhere differ). Update the size with the fields.
#if defined(__GLIBCXX__) && defined(__x86_64__)
static_assert(sizeof(percentiles) == 56);
static_assert(sizeof(workload_result) == 224);
static_assert(sizeof(service_counters) == 72);
static_assert(sizeof(coupling) == 32);
static_assert(sizeof(service_result) == 248);
static_assert(sizeof(delivery_counters) == 32);
static_assert(sizeof(subscription_result) == 160);
static_assert(sizeof(topic_counters) == 64);
static_assert(sizeof(topic_result) == 184);
static_assert(sizeof(workload_timeline) == 144);
static_assert(sizeof(delivery_timeline) == 80);
static_assert(sizeof(topic_timeline) == 104);
static_assert(sizeof(span_summary) == 24);
static_assert(sizeof(source_pos) == 12);
static_assert(sizeof(failure) == 64);
static_assert(sizeof(failure_window::workload_spans) == 72);
static_assert(sizeof(failure_window::backlog_spans) == 24);
static_assert(sizeof(failure_window::topic_spans) == 48);
static_assert(sizeof(failure_window) == 144);
static_assert(sizeof(timeline) == 104);
static_assert(sizeof(watched_result) == 48);
static_assert(sizeof(broker_coupling) == 56);
static_assert(sizeof(graph_edge) == 32);
static_assert(sizeof(dependency_graph) == 32);
static_assert(sizeof(run_result) == 472);
#endif

// The last value of each enum the results hold.
constexpr mode last_of(mode) { return mode::async; }
constexpr failure_kind last_of(failure_kind) { return failure_kind::errors; }

template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_pair : std::false_type {};
template <class A, class B>
struct is_pair<std::pair<A, B>> : std::true_type {};

// Scalars: bytes on the wire, and their value as up to 64 bits.
template <class T>
constexpr std::size_t width = std::is_enum_v<T> || std::is_same_v<T, bool> ? 1 : sizeof(T);

template <class T>
std::uint64_t to_bits(T x) {
  if constexpr (std::is_same_v<T, double>) {
    std::uint64_t b;
    std::memcpy(&b, &x, sizeof b);
    return b;
  } else if constexpr (std::is_enum_v<T> || std::is_same_v<T, bool>) {
    return static_cast<std::uint64_t>(x);
  } else {
    return static_cast<std::make_unsigned_t<T>>(x);
  }
}

// False when `b` is no value of T (an enum or bool out of range).
template <class T>
bool from_bits(std::uint64_t b, T& x) {
  if constexpr (std::is_same_v<T, double>) {
    std::memcpy(&x, &b, sizeof x);
  } else if constexpr (std::is_same_v<T, bool>) {
    if (b > 1) return false;
    x = b == 1;
  } else if constexpr (std::is_enum_v<T>) {
    if (b > static_cast<std::uint64_t>(last_of(T{}))) return false;
    x = static_cast<T>(b);
  } else {
    x = static_cast<T>(static_cast<std::make_unsigned_t<T>>(b));
  }
  return true;
}

// Walks a value's fields in wire order; D (the encoder or the decoder) moves the bytes:
// scalar(x), length(container) -> its size, bytes(string), flag(optional) -> has a value,
// enter(names, k) / leave() around each field and element, ok().
template <class D>
struct walker {
  D& d() { return static_cast<D&>(*this); }

  template <class T>
  void one(T& x) {
    using U = std::remove_const_t<T>;
    if (!d().ok()) return;
    if constexpr (std::is_arithmetic_v<U> || std::is_enum_v<U>) {
      d().scalar(x);
    } else if constexpr (std::is_same_v<U, std::string>) {
      d().length(x);
      d().bytes(x);
    } else if constexpr (is_vector<U>::value) {
      const std::size_t n = d().length(x);
      for (std::size_t i = 0; i < n && d().ok(); ++i) {
        d().enter(nullptr, i);
        one(x[i]);
        d().leave();
      }
    } else if constexpr (is_optional<U>::value) {
      if (d().flag(x)) one(*x);
    } else if constexpr (is_pair<U>::value) {
      one(x.first);
      one(x.second);
    } else {
      fields(*this, x);
    }
  }

  // Called by fields().
  template <class... Ts>
  void operator()(const char* names, Ts&... xs) {
    std::size_t k = 0;
    ((d().enter(names, k++), one(xs), d().leave()), ...);
  }
};

struct encoder : walker<encoder> {
  std::string out;

  bool ok() const { return true; }
  void enter(const char*, std::size_t) {}
  void leave() {}
  void put(std::uint64_t b, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<char>(b >> (8 * i) & 0xff));
  }
  template <class T>
  void scalar(const T& x) {
    put(to_bits(x), width<T>);
  }
  template <class C>
  std::size_t length(const C& c) {
    put(c.size(), 8);
    return c.size();
  }
  void bytes(const std::string& s) { out += s; }
  template <class T>
  bool flag(const std::optional<T>& x) {
    put(x.has_value(), 1);
    return x.has_value();
  }
};

// The fewest bytes a T takes on the wire: a default one's, whose vectors and strings are empty
// and optionals unset.
template <class T>
std::size_t min_size() {
  static const std::size_t n = [] {
    encoder e;
    const T t{};
    e.one(t);
    return e.out.size();
  }();
  return n;
}

struct decoder : walker<decoder> {
  std::string_view in;
  std::size_t pos = 0;
  std::string error;  // the first thing wrong; empty while all is well
  // The fields and elements being read: (names of a struct's fields, which one), or (nullptr,
  // index) for an element.
  std::vector<std::pair<const char*, std::size_t>> path;

  bool ok() const { return error.empty(); }
  void enter(const char* names, std::size_t k) {
    path.emplace_back(names, k);
    if (path.size() > max_depth) fail("nested too deep", pos);
  }
  void leave() { path.pop_back(); }

  // "services[2].name": a base (base<...>) adds no name of its own.
  std::string where() const {
    std::string s;
    for (const auto& [names, k] : path) {
      if (!names) {
        s += "[" + std::to_string(k) + "]";
        continue;
      }
      std::string_view all = names;
      for (std::size_t i = 0; i < k; ++i) all.remove_prefix(all.find(',') + 1);
      std::string_view name = all.substr(0, all.find(','));
      name.remove_prefix(name.find_first_not_of(' '));
      if (name.substr(0, 2) != "x.") continue;
      if (!s.empty()) s += '.';
      s += name.substr(2);
    }
    return s;
  }
  void fail(const std::string& what, std::size_t at) {
    if (!ok()) return;
    error = what + " at byte " + std::to_string(at);
    if (!path.empty()) error += " in " + where();
  }

  std::size_t left() const { return in.size() - pos; }
  bool get(std::size_t n, std::uint64_t& b) {
    if (n > left()) {
      fail("truncated", pos);
      return false;
    }
    b = 0;
    for (std::size_t i = 0; i < n; ++i)
      b |= std::uint64_t{static_cast<unsigned char>(in[pos + i])} << (8 * i);
    pos += n;
    return true;
  }
  template <class T>
  void scalar(T& x) {
    const std::size_t at = pos;
    std::uint64_t b;
    if (get(width<T>, b) && !from_bits(b, x))
      fail("value " + std::to_string(b) + " out of range", at);
  }
  // Refuses more elements than the bytes left could hold, so what it allocates stays within a
  // few times the input's size.
  template <class C>
  std::size_t length(C& c) {
    const std::size_t at = pos;
    std::uint64_t n;
    if (!get(8, n)) return 0;
    const std::size_t each = std::max<std::size_t>(min_size<typename C::value_type>(), 1);
    if (n > left() / each) {
      fail("length " + std::to_string(n) + " beyond the " + std::to_string(left()) + " bytes left",
           at);
      return 0;
    }
    c.resize(n);
    return n;
  }
  void bytes(std::string& s) {
    if (!ok()) return;
    in.copy(s.data(), s.size(), pos);
    pos += s.size();
  }
  template <class T>
  bool flag(std::optional<T>& x) {
    bool has = false;
    scalar(has);
    if (has) x.emplace();
    return has;
  }
};

}  // namespace

std::string encode(const run_result& r) {
  encoder e;
  e.out = magic;
  e.one(r);
  return e.out;
}

bool decode(std::string_view bytes, run_result& out, std::string* error) {
  decoder d;
  run_result r;
  if (bytes.substr(0, magic.size()) != magic) {
    d.error = "not a run result: it does not start with " + std::string(magic);
  } else {
    d.in = bytes;
    d.pos = magic.size();
    d.one(r);
    if (d.ok() && d.left() > 0)
      d.error = std::to_string(d.left()) + " bytes after the end at byte " + std::to_string(d.pos);
  }
  if (!d.ok()) {
    if (error) *error = d.error;
    return false;
  }
  out = std::move(r);
  return true;
}

}  // namespace svcsim
