// Reading `broker:` (routing, delivery, the broker as a resource, durability, outboxes) and how
// a step publishes (confirm, on_broker_down), whose defaults the broker gives.
#include <utility>

#include "scenarios/load/loader_parts.hpp"

namespace svcsim::detail {
namespace {

const char* const work_example = "work: {publish: exp(200us), deliver: exp(50us)}";

// `unlimited` (-1), or a count from 1: `zero` says why 0 is refused.
std::int64_t read_limit(const entry& c, const std::string& example, const std::string& zero) {
  const std::string value = text(c, example);
  if (value == "unlimited") return -1;
  if (value == "0") fail(c.value_pos(), zero);
  return integer(c, 1, 1000000000, example);
}

// {publish: D, deliver: D}: the work of each publish and of each delivery.
void read_work(const entry& e, scenario& s, data_files& files) {
  expect_map(e, "the broker's 'work'", std::string("write e.g. '") + work_example + "'");
  const fields f(e, "in the broker's work", {"publish", "deliver"});
  if (const entry* p = f.find("publish")) s.broker_publish_work = distribution_of(*p, &files);
  if (const entry* d = f.find("deliver")) s.broker_deliver_work = distribution_of(*d, &files);
}

}  // namespace

std::optional<call_policy> read_confirm(const entry& e) {
  if (e.value.IsMap()) {
    const fields f(e, "in confirm", {"timeout", "retries", "backoff", "jitter", "breaker"});
    call_policy p;
    read_call_policy(f, p);
    return p;
  }
  if (!boolean(e)) return std::nullopt;
  return call_policy{};
}

broker_down read_on_broker_down(const entry& e) {
  const std::string v = choice(e, {"fail", "drop", "outbox"});
  return v == "fail" ? broker_down::fail : v == "drop" ? broker_down::drop : broker_down::outbox;
}

std::optional<source_pos> read_broker(const entry& e, scenario& s, data_files& files) {
  expect_map(e, "'broker'", "write e.g. 'broker: {latency: 1ms}'");
  const fields f(e, "in broker",
                 {"latency", "capacity", "delivery", "prefetch", "workers", "queue", "work",
                  "durable", "confirm", "on_broker_down", "outbox"});
  if (const entry* l = f.find("latency")) s.broker_latency = duration(*l);
  if (const entry* c = f.find("capacity"))
    s.broker_capacity = read_limit(*c, "capacity: 1000",
                                   "a broker capacity of 0 would hold no message, so every "
                                   "publish would be lost; write at least 1, e.g. 'capacity: "
                                   "1000', or 'capacity: unlimited'");
  if (const entry* d = f.find("delivery"))
    s.broker_delivery = choice(*d, {"at-least-once", "at-most-once"}) == "at-least-once"
                            ? delivery_mode::at_least_once
                            : delivery_mode::at_most_once;
  if (const entry* p = f.find("prefetch"))
    s.broker_prefetch = integer(*p, 0, 1000000, "prefetch: 10");
  if (const entry* w = f.find("workers"))
    s.broker_workers = static_cast<int>(integer(*w, 1, 1000000, "workers: 4"));
  if (const entry* q = f.find("queue")) {
    if (text(*q, "queue: 10000") != "unlimited")
      s.broker_queue = integer(*q, 0, 1000000000, "queue: 10000");
  }
  if (const entry* w = f.find("work")) read_work(*w, s, files);
  const std::pair<const char*, bool> resources[] = {{"workers", s.broker_workers != 1},
                                                    {"queue", s.broker_queue >= 0}};
  for (auto [key, set] : resources)
    if (const entry* k = f.find(key); k && set && !s.broker_costs())
      warn(s, k->key_pos(),
           std::string("the broker's '") + key +
               "' has no effect while it has no work, so it costs nothing; add e.g. '" +
               work_example + "'");
  if (const entry* d = f.find("durable")) s.broker_durable = boolean(*d);
  if (const entry* c = f.find("confirm")) s.broker_publishing.confirm = read_confirm(*c);
  if (const entry* o = f.find("on_broker_down"))
    s.broker_publishing.on_down = read_on_broker_down(*o);
  const entry* outbox = f.find("outbox");
  if (!outbox) return std::nullopt;
  s.broker_outbox = read_limit(*outbox, "outbox: 10000",
                               "an outbox of 0 would keep no message, so every publish would "
                               "fail while the broker is down; write at least 1, e.g. "
                               "'outbox: 10000', or 'outbox: unlimited'");
  return outbox->key_pos();
}

}  // namespace svcsim::detail
