// A study and its runs as messages (messages.hpp), and back on the worker, which rebuilds each
// scenario from the files sent with the study, exactly as the coordinator loaded it.
#pragma once

#include <optional>
#include <string>

#include "distributed/messages.hpp"
#include "distributed/shipped_files.hpp"
#include "studies/study_runs.hpp"

namespace svcsim {

// `st` for the workers, with the files its scenarios read. Spans are never recorded there.
wire::study_msg to_wire(const study& st, const file_map& files, std::uint64_t id,
                        const std::string& token);

// The study of `m` without its scenarios (window and options); load_point() loads them.
study study_frame(const wire::study_msg& m);

// Point `p` of `m` loaded through `files` with its settings and seed; nullopt with `*error` set
// when it cannot be (a point out of range, or a file or setting the coordinator did not send).
std::optional<scenario> load_point(const wire::study_msg& m, std::size_t p,
                                   const file_reader& files, std::string* error);

wire::job_msg to_wire(const run_spec& spec, std::uint64_t study, std::uint64_t attempt,
                      const std::string& token);

// The run `m` asks for on point `s` of its study, or nullopt with `*error` set when it does not
// fit it (a party, topic or mode out of range).
std::optional<run_spec> spec_of(const wire::job_msg& m, const scenario& s, std::string* error);

}  // namespace svcsim
