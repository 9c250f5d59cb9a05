// Why a first pass: Debian bookworm's yaml-cpp 0.7.0 loops forever in YAML::LoadAll on a file
// holding just ',' (or ',,,', '---\n,', '"a" ,', ...): SingleDocParser::HandleNode meets a token
// that can start no node, reports a null without consuming it, and the next document starts at
// the same token, so LoadAll pushes null documents until memory runs out (yaml-cpp issue #1040,
// fixed upstream by PR #1319 in 2024, not in Debian's package; #499 and #938 were other hangs).
//
// We keep yaml-cpp rather than moving to libfyaml: every position and message of the loader
// (and the exact-message tests and golden files) comes from yaml-cpp's nodes and marks, and a
// guard in front of it is small and testable. The guard drives the same parser with an event
// handler, document by document, and stops it when
//  - a document is a bare null at the very token where the previous one started: no token was
//    consumed, and the parser's state is the same as before, so it would repeat forever; or
//  - it has emitted more events than a text of this size can hold (a parser that keeps going
//    without advancing through the text), which bounds any other such loop that emits events.
// A parser that loops without emitting events would not be caught here; the fuzzer
// (tests/fuzz/) looks for those.
#include "scenarios/load/parse_guard.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <string>

#include "scenarios/load/yaml_reader.hpp"

namespace svcsim::detail {
namespace {

// Counts events and remembers how the current document began.
class budget_handler : public YAML::EventHandler {
 public:
  explicit budget_handler(std::size_t budget) : budget_(budget) {}

  YAML::Mark start;         // of the current document
  YAML::Mark last;          // the mark of the latest event that has one
  std::size_t in_document;  // events since the document started
  bool bare_null = false;   // the document is only a null at its start mark

  void OnDocumentStart(const YAML::Mark& mark) override {
    start = mark;
    in_document = 0;
    bare_null = false;
    seen(mark);
  }
  void OnDocumentEnd() override { count(); }
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    bare_null = in_document == 1 && mark.pos == start.pos;
    seen(mark);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { seen(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    seen(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    seen(mark);
  }
  void OnSequenceEnd() override { count(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    seen(mark);
  }
  void OnMapEnd() override { count(); }

 private:
  void seen(const YAML::Mark& mark) {
    last = mark;
    count();
  }
  void count() {
    ++in_document;
    if (++events_ <= budget_) return;
    fail(position(last, {1, 1}),
         "this is not valid YAML (the parser stopped advancing here); check the indentation, "
         "colons, quotes and brackets here");
  }
  std::size_t budget_;
  std::size_t events_ = 0;
};

// Documents a file may hold, empty ones included: the loader reads one scenario, and each
// document costs memory, so a file of two million '---' lines would take over a gigabyte.
constexpr int max_documents = 100;

// The character at `pos` of the decoded stream for the message: one UTF-8 sequence, or "" past
// the end or when the text is not UTF-8 (yaml-cpp also reads UTF-16 and UTF-32). The parser
// counts `pos` after a byte order mark.
std::string character_at(const std::string& text, int pos) {
  if (text.find('\0') != std::string::npos) return "";
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) pos += 3;
  if (pos < 0 || static_cast<std::size_t>(pos) >= text.size()) return "";
  std::size_t end = static_cast<std::size_t>(pos) + 1;
  while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80 &&
         end - static_cast<std::size_t>(pos) < 4)
    ++end;
  return text.substr(static_cast<std::size_t>(pos), end - static_cast<std::size_t>(pos));
}

}  // namespace

void check_parser_advances(const std::string& yaml_text) {
  // A token yields at most a few events (a flow mapping's '{' or ',' up to three: start, and a
  // null key and value), and every token but the zero-width ones takes at least one byte;
  // real scenarios use well under one event per byte.
  const std::size_t budget = 8 * yaml_text.size() + 64;
  std::istringstream in(yaml_text);
  YAML::Parser parser(in);
  budget_handler handler(budget);
  bool previous_bare = false;
  YAML::Mark previous;
  for (int documents = 1; parser.HandleNextDocument(handler); ++documents) {
    if (documents > max_documents)
      fail(position(handler.start, {1, 1}),
           "the file holds more than " + std::to_string(max_documents) +
               " YAML documents; keep only one scenario per file (remove "
               "the '---' lines from here on)");
    if (previous_bare && handler.bare_null && handler.start.pos == previous.pos) {
      const std::string c = character_at(yaml_text, handler.start.pos);
      fail(position(handler.start, {1, 1}),
           "this is not valid YAML (" + (c.empty() ? std::string("this") : "'" + c + "'") +
               " cannot start a value here); remove it, or put the value "
               "it begins in quotes");
    }
    previous_bare = handler.bare_null;
    previous = handler.start;
  }
}

}  // namespace svcsim::detail
