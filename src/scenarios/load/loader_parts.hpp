// The loader's stages, shared between its source files (internal to the loader):
// loader.cpp reads the top level, services.cpp the services with their handlers and steps,
// policies.cpp how callers treat sync calls, broker.cpp the broker and how steps publish,
// workloads.cpp the workloads, failures.cpp the
// failures; validate.cpp resolves the names the steps use (services, endpoints, topics),
// refuses cycles of sync calls and checks that breakers agree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "scenarios/load/yaml_reader.hpp"
#include "scenarios/scenario.hpp"

namespace svcsim::detail {

// Limits from the spec.
constexpr int max_services = 10000;
constexpr int max_endpoints = 10000;  // per service
constexpr int max_topics = 10000;
constexpr int max_instances = 10000;   // of one service, and of all services together
constexpr int max_partitions = 10000;  // of one topic
// Requests one run may send: about 10 minutes of wall time; beyond, a run looks like a hang.
constexpr std::int64_t max_requests = 1000000000;
// Limits of our own, so that no file, however small, makes a scenario too big to hold or to
// simulate: YAML aliases can repeat parts of a file (or, referring to themselves, nest forever).
constexpr std::int64_t max_items = 1000000;  // handlers and steps, each use of an alias counted
constexpr int max_parallel_depth = 100;      // 'parallel' steps inside 'parallel' steps
constexpr std::int64_t max_sync_calls = 1000000;  // calls the notify steps make in sync mode

// The folder of the scenario file, where empirical data files are looked up ("" for "here").
std::string folder_of(const std::string& file);

// Reads `broker:` into s (its work's empirical data from `files`); returns where its `outbox`
// is, if given.
std::optional<source_pos> read_broker(const entry& broker, scenario& s, data_files& files);
// `confirm: true|false`, or a call policy {timeout, retries, backoff, jitter, breaker}.
std::optional<call_policy> read_confirm(const entry& e);
broker_down read_on_broker_down(const entry& e);

// Reads `services:` into s.services; names are checked, references are left unresolved.
// Each call and notify step's policy is s.sync_defaults with the step's own keys over it; each
// publish and notify step publishes as s.broker_publishing says, with its own confirm and
// on_broker_down over it. Warns about a service named `broker`, and about broker.outbox
// (`outbox_pos`: where it is, if given) when no publish uses an outbox.
void read_services(const entry& services, scenario& s, data_files& files,
                   std::optional<source_pos> outbox_pos);

// Reads `workloads:` into s.workloads, resolving their targets. Requires read_services().
void read_workloads(const entry& workloads, scenario& s, data_files& files);

// A balance policy by its name (scenario::balance_names).
balance_policy read_balance(const entry& e);

// Fails at the first publish or notify step with a key whose topic has no partitions.
// Requires resolve_references() and the topics' partitions.
void check_message_keys(const scenario& s);

// Reads `failures:` into s.failures, sorted by service and start; refuses overlapping windows
// of one service. Requires read_services().
void read_failures(const entry& failures, scenario& s);

// Reads the keys timeout, retries, backoff, jitter and breaker of `f` into `p`; absent keys
// leave p as it was (a breaker given replaces p's whole breaker).
void read_call_policy(const fields& f, call_policy& p);

// Resolves call targets and topics (creating s.topics), then checks that no sync calls form a
// cycle and that all calls from one service to another have the same breaker (sync-mode
// notify calls included). Requires read_services().
void resolve_references(scenario& s);

// `mode: sync|async` (the scenario's, a notify step's, a topic's, a design's).
mode mode_of(const entry& e);

// Reads `topics:` (each topic's settings: `mode`, `partitions`) into s.topics. Requires
// resolve_references().
void read_topics(const entry& topics, scenario& s);

// Reads `designs:` into s.designs (the scenario's mode, and pins of topics). Requires
// resolve_references() and the scenario's `mode`.
void read_designs(const entry& designs, scenario& s);

// Adds "FILE:LINE:COLUMN: warning: MESSAGE" to s.warnings.
void warn(scenario& s, source_pos at, const std::string& message);

// Whether `s` is service.endpoint with valid names on both sides.
bool is_call_target(const std::string& s);
// [A-Za-z0-9_.-]+
bool is_topic_name(const std::string& s);

}  // namespace svcsim::detail
