// The problems report of `svcsim infer`: per kind of problem found in the traces, how many
// spans (or edges) it touched, the first few trace ids, and what infer did about it. Nothing
// is dropped or changed without being counted here.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace svcsim::infer {

struct problem {
  std::string what;    // e.g. "spans name a parent missing from their trace"
  std::string action;  // e.g. "treated as roots"
  std::int64_t count = 0;
  std::vector<std::string> traces;  // the first few trace ids, each once
};

class diagnostics {
 public:
  // Counts one occurrence of `kind` (a short key, e.g. "orphan") in `trace`; `what` and
  // `action` are kept from the first call of a kind.
  void add(const std::string& kind, const std::string& trace, const std::string& what,
           const std::string& action);
  // A note that is not a problem (e.g. a broker recognised), shown once per text.
  void note(const std::string& text) { notes_.push_back(text); }

  const std::map<std::string, problem>& problems() const { return problems_; }
  const std::vector<std::string>& notes() const { return notes_; }
  std::int64_t count(const std::string& kind) const;

  // Lines "svcsim infer: warning: N WHAT: ACTION; traces A, B, ... [KIND]", then the notes.
  std::string text() const;
  // {"problems": {kind: {count, what, action, traces}}, "notes": [...]}
  std::string json() const;

  static constexpr std::size_t traces_kept = 5;

 private:
  std::map<std::string, problem> problems_;
  std::vector<std::string> notes_;
};

}  // namespace svcsim::infer
