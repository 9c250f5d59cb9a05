// pooled_element: CAF's mailbox element of one value, with memory reused per type and thread.
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
  CHECK(static_cast<const void*>(y.get()) == first);  // the freed block, not a new one
  CHECK(y->content().get_as<std::string>(0) == "def");
  // Many alive at once, then all freed: beyond what the list keeps they go back to malloc
  // (the sanitized build would report a lost block).
  std::vector<caf::mailbox_element_ptr> many;
  for (int i = 0; i < 3000; ++i) many.push_back(make_pooled_element(nullptr, i));
  many.clear();
}
