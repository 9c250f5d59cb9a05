// span_recorder (engine/spans.hpp): sampling, parents through context keys, and when each
// request's spans reach the sink.
#include "engine/spans.hpp"

#include <catch2/catch.hpp>
#include <vector>

#include "engine/recorder.hpp"

using namespace svcsim;

namespace {

struct collected {
  std::vector<std::vector<span>> batches;
  span_recorder::sink sink() {
    return [this](const std::vector<span>& b) { batches.push_back(b); };
  }
};

span server_at(int party, nanos start) {
  span s;
  s.kind = span_kind::server;
  s.party = party;
  s.start = start;
  return s;
}

}  // namespace

TEST_CASE("spans: every N-th measured request is sampled, and the listed ones") {
  span_recorder r({3, {2, 10}}, [](const std::vector<span>&) {});
  std::vector<std::uint64_t> got;
  for (std::uint64_t n = 1; n <= 12; ++n)
    if (r.sampled(n, n > 1)) got.push_back(n);  // request 1 is not measured (warm-up)
  // measured: 2..12, so the 3rd, 6th and 9th of them are 4, 7, 10; 2 is listed.
  CHECK(got == std::vector<std::uint64_t>{2, 4, 7, 10});
}

TEST_CASE("spans: a request's spans reach the sink when it closes, in id order") {
  collected c;
  span_recorder r({1, {}}, c.sink());
  const std::uint64_t trace = 77;
  const auto root = r.open(trace, 5, 0, 100);
  span call = server_at(1, 110);
  call.parent = root;
  const auto a = r.start(trace, call);
  r.send({trace, 1, 42}, a);
  CHECK(r.claim({trace, 1, 41}) == 0);
  CHECK(r.claim({trace, 1, 42}) == a);
  CHECK(r.claim({trace, 1, 42}) == 0);  // once
  r.end(trace, a, 150, span_status::ok);
  r.reply(trace, 160, true);
  CHECK(c.batches.empty());
  r.close(trace);
  REQUIRE(c.batches.size() == 1);
  const auto& b = c.batches[0];
  REQUIRE(b.size() == 2);
  CHECK(b[0].id == root);
  CHECK(b[0].request == 5);
  CHECK(b[0].kind == span_kind::client);
  CHECK(b[0].end == 160);
  CHECK(b[1].parent == root);
  CHECK(b[1].start == 110);
  CHECK(b[1].end == 150);
  CHECK(r.spans() == 2);
}

TEST_CASE("spans: work that outlives its request holds its batch back, late starts counted") {
  collected c;
  span_recorder r({1, {}}, c.sink());
  r.open(1, 1, 0, 0);
  const auto slow = r.start(1, server_at(2, 5));
  r.reply(1, 10, false);
  r.close(1);
  CHECK(c.batches.empty());                         // the slow job still runs
  const auto child = r.start(1, server_at(3, 20));  // it calls on, after the close
  r.end(1, slow, 30, span_status::ok);
  CHECK(c.batches.empty());
  r.end(1, child, 25, span_status::ok);
  REQUIRE(c.batches.size() == 1);
  CHECK(c.batches[0].size() == 3);
  CHECK(c.batches[0][2].id == child);
  CHECK(r.start(1, server_at(3, 40)) == 0);  // handed over whole: not kept
  CHECK(r.late() == 1);
}

TEST_CASE("spans: finish ends what is still open as lost, request by request") {
  collected c;
  span_recorder r({1, {}}, c.sink());
  r.open(20, 2, 0, 5);
  r.open(10, 1, 0, 0);
  r.finish(1000);
  REQUIRE(c.batches.size() == 2);
  CHECK(c.batches[0][0].request == 1);
  CHECK(c.batches[1][0].request == 2);
  CHECK(c.batches[0][0].end == 1000);
  CHECK(c.batches[0][0].status == span_status::lost);
}

TEST_CASE("spans: the recorder samples at open, marks the trace, and hands over at close") {
  collected c;
  span_recorder spans({2, {1}}, c.sink());
  recorder rec(1, 0, measure_window{0, 1000, 2000});
  rec.trace_spans(&spans);
  const auto a = rec.open(0, 10);  // request 1: listed
  const auto b = rec.open(0, 20);  // request 2: the 2nd measured
  const auto d = rec.open(0, 30);  // request 3: not sampled
  CHECK(rec.traced(a));
  CHECK(rec.traced(b));
  CHECK_FALSE(rec.traced(d));
  CHECK(rec.measured(a));
  rec.reply(b, 50, true);  // b's only piece: it closes
  REQUIRE(c.batches.size() == 1);
  CHECK(c.batches[0][0].request == 2);
  CHECK(c.batches[0][0].start == 20);
  CHECK(c.batches[0][0].end == 50);
  rec.add_pending(a, 1);
  rec.reply(a, 60, false);
  CHECK(c.batches.size() == 1);  // a delivery is still pending
  rec.resolve(a, 70);
  REQUIRE(c.batches.size() == 2);
  CHECK(c.batches[1][0].status == span_status::failed);
}

TEST_CASE("spans: a message carrying a span holds its request until its receiver claims it") {
  // A delivery goes out, then the broker loses the message and the request closes; the
  // delivery still arrives and starts a span: it must be written with the rest, not dropped.
  collected c;
  span_recorder r({1, {}}, c.sink());
  r.open(1, 1, 0, 0);
  const auto stay = r.start(1, server_at(2, 5));
  r.end(1, stay, 6, span_status::ok);
  r.send({1, 9, 77}, stay);
  r.reply(1, 7, true);
  r.close(1);
  CHECK(c.batches.empty());  // the delivery is in flight
  span consumer = server_at(3, 8);
  consumer.parent = r.claim({1, 9, 77});
  CHECK(consumer.parent == stay);
  const auto id = r.start(1, consumer);
  CHECK(c.batches.empty());
  r.end(1, id, 9, span_status::ok);
  REQUIRE(c.batches.size() == 1);
  CHECK(c.batches[0].size() == 3);
  CHECK(r.late() == 0);
}
