// pooled_element: CAF's mailbox element of one value, kept and made again per type and thread.
#include "actors/pooled_element.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace svcsim;

TEST_CASE("pooled element: CAF's element of one value, its memory used again") {
  auto x = make_pooled_element(nullptr, std::string("abc"));
  CHECK(x->mid == caf::make_message_id());
  CHECK(x->content().size() == 1);
  CHECK(x->content().match_elements<std::string>());
  CHECK(x->content().get_as<std::string>(0) == "abc");
  CHECK(x->copy_content_to_message().get_as<std::string>(0) == "abc");
  CHECK(x->move_content_to_message().get_as<std::string>(0) == "abc");
  CHECK(x->content().get_as<std::string>(0).empty());  // moved out
  const void* first = x.get();
  x.reset();
  auto y = make_pooled_element(nullptr, std::string("def"));
  CHECK(static_cast<const void*>(y.get()) == first);  // the spare element, not a new one
  CHECK(y->content().get_as<std::string>(0) == "def");
  // Many alive at once, then all freed: beyond what the list keeps they go back to malloc
  // (the sanitized build would report a lost block).
  std::vector<caf::mailbox_element_ptr> many;
  for (int i = 0; i < 3000; ++i) many.push_back(make_pooled_element(nullptr, i));
  many.clear();
}

TEST_CASE("pooled element: a spare lets go of what it holds and is made again as new") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  // Lazily started and never sent anything: no scheduler thread touches their counts.
  auto idle = [] { return caf::behavior{[](int) {}}; };
  auto sender = caf::actor_cast<caf::strong_actor_ptr>(sys.spawn<caf::lazy_init>(idle));
  auto held = sys.spawn<caf::lazy_init>(idle);  // a message's value holds a reference to it
  auto refs = [](const auto& a) {
    return caf::actor_cast<caf::actor_control_block*>(a)->strong_refs.load();
  };
  const auto sender_refs = refs(sender), held_refs = refs(held);
  auto x = make_pooled_element(sender, held);
  CHECK(x->sender == sender);
  CHECK(refs(sender) == sender_refs + 1);
  CHECK(refs(held) == held_refs + 1);
  // What CAF may have done to it meanwhile: another id, a forwarding stage, a queue's link.
  x->mid = caf::make_message_id(caf::message_priority::high);
  x->stages.push_back(sender);
  x->next = x.get();
  const void* first = x.get();
  x.reset();
  CHECK(refs(sender) == sender_refs);  // neither as sender nor as stage
  CHECK(refs(held) == held_refs);      // nor its value
  auto y = make_pooled_element(nullptr, caf::actor{});
  REQUIRE(static_cast<const void*>(y.get()) == first);
  CHECK(y->sender == nullptr);
  CHECK(y->mid == caf::make_message_id());
  CHECK(y->stages.empty());
  CHECK(y->next == nullptr);
  CHECK(y->content().get_as<caf::actor>(0) == nullptr);
  y.reset();
  caf::anon_send_exit(sender, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(held, caf::exit_reason::user_shutdown);
}
