// The command line: every subcommand is one row of a table that also produces `--help`.
// run_cli() parses argv, runs the command and returns the process exit status:
// 0 ok, 2 bad usage or bad scenario, 1 any other failure. Data goes to stdout (or -o FILE),
// diagnostics and progress to stderr.
#pragma once

#include <iosfwd>

namespace svcsim {

int run_cli(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace svcsim
